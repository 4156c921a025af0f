package ai.thinkheads.phoenix.certs.activities.testing.acme;

import ai.thinkheads.phoenix.certs.activities.testing.stepca.StepCaServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The ACME side of the tests, one per run (JUnit's root store closes it): a loopback address of its own where
 * the guest's web server answers http-01 (on port 80 for step-ca, on {@link #pebbleHttpPort()} for pebble),
 * another where nothing listens, the DNS that resolves challenge names to the first, and, made on first use, a
 * step-ca (its own, with {@code --resolver}) and a pebble. The addresses are random in 127.0.0.0/8, so
 * concurrent runs on one machine do not take each other's port 80.
 */
public final class AcmeTestbed implements ParameterResolver, AutoCloseable {

  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(AcmeTestbed.class);

  private final Path dir;
  private final String webAddress;
  private final String unreachableAddress;
  private final int pebbleHttpPort;
  private ChallengeDns dns;
  private StepCaServer stepCa;
  private PebbleServer pebble;

  /** For {@code @ExtendWith}: JUnit makes this instance only to resolve parameters. */
  public AcmeTestbed() {
    this(null, null, null, 0);
  }

  private AcmeTestbed(Path dir, String webAddress, String unreachableAddress, int pebbleHttpPort) {
    this.dir = dir;
    this.webAddress = webAddress;
    this.unreachableAddress = unreachableAddress;
    this.pebbleHttpPort = pebbleHttpPort;
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == AcmeTestbed.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return of(context);
  }

  public static AcmeTestbed of(ExtensionContext context) {
    return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(AcmeTestbed.class, k -> create(),
        AcmeTestbed.class);
  }

  private static AcmeTestbed create() {
    SecureRandom random = new SecureRandom();
    String net = "127." + (100 + random.nextInt(100)) + "." + random.nextInt(256) + ".";
    try {
      AcmeTestbed testbed = new AcmeTestbed(Files.createTempDirectory("phoenix-acme"), net + "1", net + "2",
          LoggedProcess.freePort());
      testbed.dns = ChallengeDns.start(testbed.webAddress, testbed.dir);
      return testbed;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Where challenge names resolve by default: the guest's web server listens here. */
  public String webAddress() {
    return webAddress;
  }

  /** An address where nothing listens: a name pointed here is one the CA cannot reach. */
  public String unreachableAddress() {
    return unreachableAddress;
  }

  /** The port pebble validates http-01 on (a real CA, and step-ca, use 80). */
  public int pebbleHttpPort() {
    return pebbleHttpPort;
  }

  public ChallengeDns dns() {
    return dns;
  }

  /** A step-ca (JWK and ACME provisioners) resolving challenge names through {@link #dns()}. */
  public synchronized StepCaServer stepCa() {
    if (stepCa == null) {
      stepCa = StepCaServer.launch(List.of("--resolver", dns.server()));
    }
    return stepCa;
  }

  public synchronized PebbleServer pebble() {
    if (pebble == null) {
      pebble = PebbleServer.start(dir.resolve("pebble"), dns, pebbleHttpPort);
    }
    return pebble;
  }

  @Override
  public synchronized void close() {
    if (pebble != null) {
      pebble.close();
    }
    if (stepCa != null) {
      stepCa.close();
    }
    if (dns != null) {
      dns.close();
    }
  }
}
