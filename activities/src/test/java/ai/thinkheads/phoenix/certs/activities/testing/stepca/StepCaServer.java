package ai.thinkheads.phoenix.certs.activities.testing.stepca;

import ai.thinkheads.phoenix.certs.activities.crypto.Pem;
import ai.thinkheads.phoenix.certs.activities.issuer.stepca.PinnedRoot;
import ai.thinkheads.phoenix.certs.activities.issuer.stepca.StepCaConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * A real step-ca on 127.0.0.1, with the PKI of {@link StepCaPki}: started, stopped (by its PID, SIGTERM then
 * SIGKILL) and restarted on the same port and data by the tests. Closed at the end of the run.
 */
public final class StepCaServer implements AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);

  private final Path binary;
  private final StepCaPki pki;
  private final int port;
  private final List<String> flags;
  private final SSLContext tls;
  private final Thread shutdownHook = new Thread(this::stop, "stop step-ca");
  private Process process;

  private StepCaServer(Path binary, StepCaPki pki, int port, List<String> flags) {
    this.binary = binary;
    this.pki = pki;
    this.port = port;
    this.flags = List.copyOf(flags);
    this.tls = PinnedRoot.bootstrap(new StepCaConfig(url(), pki.fingerprint(), pki.provisioner(),
        pki.passwordFile(), pki.rootFile())).sslContext(null);
  }

  /** Builds step-ca if needed, writes a fresh PKI under a temp dir, starts it on a free port. */
  static StepCaServer launch() {
    return launch(List.of());
  }

  /**
   * A step-ca of its own (not the run's shared one) started with {@code flags}, e.g. {@code --resolver
   * 127.0.0.1:<port>} to resolve the names its ACME provisioner validates through a test DNS server.
   */
  public static StepCaServer launch(List<String> flags) {
    Path binary = StepCaBinary.build();
    try {
      Path dir = Files.createTempDirectory("phoenix-step-ca");
      int port = freePort();
      StepCaServer server = new StepCaServer(binary, StepCaPki.create(dir, port), port, flags);
      Runtime.getRuntime().addShutdownHook(server.shutdownHook); // in case the JVM ends before JUnit closes us
      server.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare a step-ca", e);
    }
  }

  public URI url() {
    return URI.create("https://127.0.0.1:" + port);
  }

  /** The directory of its ACME provisioner ("acme", see {@link StepCaPki}). */
  public URI acmeDirectory() {
    return URI.create(url() + "/acme/acme/directory");
  }

  public String fingerprint() {
    return pki.fingerprint();
  }

  public String provisioner() {
    return pki.provisioner();
  }

  public Path passwordFile() {
    return pki.passwordFile();
  }

  public Path dir() {
    return pki.dir();
  }

  public X509Certificate root() {
    try {
      return Pem.certificates(Files.readString(pki.rootFile())).get(0);
    } catch (IOException | Pem.InvalidPemException e) {
      throw new IllegalStateException("cannot read " + pki.rootFile(), e);
    }
  }

  /** How the issuer should see this CA: URL, pin, provisioner and password file; the root is fetched. */
  public StepCaConfig config() {
    return config(provisioner());
  }

  /** A provisioner of this CA whose template forces the subject: answers the project must refuse. */
  public static final String FORCED_SUBJECT = StepCaPki.FORCED_SUBJECT;

  /** The same CA through another of its JWK provisioners (same password), e.g. {@link #FORCED_SUBJECT}. */
  public StepCaConfig config(String provisioner) {
    return new StepCaConfig(url(), fingerprint(), provisioner, passwordFile());
  }

  /** Sign requests the CA answered so far (its request log). */
  public long signRequests() {
    try (var lines = Files.lines(pki.dir().resolve("step-ca.log"))) {
      return lines.filter(l -> l.contains("path=/1.0/sign") || l.contains("path=/sign")).count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public synchronized long pid() {
    return process == null ? -1 : process.pid();
  }

  public synchronized boolean running() {
    return process != null && process.isAlive();
  }

  /** Starts the CA and waits until {@code /health} answers; fails with the end of its log if it does not. */
  public synchronized void start() {
    if (running()) {
      return;
    }
    Path log = pki.dir().resolve("step-ca.log");
    try {
      List<String> command = new ArrayList<>(List.of(binary.toString(), pki.caJson().toString()));
      command.addAll(flags);
      process = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + binary, e);
    }
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    HttpClient client = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(2)).build();
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("step-ca (pid " + process.pid() + ") exited with " + process.exitValue()
            + ":\n" + logTail());
      }
      try {
        HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create(url() + "/health"))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
        if (health.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for step-ca", e);
      }
      pause(100);
    }
    stop();
    throw new IllegalStateException("step-ca did not answer " + url() + "/health within " + START_TIMEOUT + ":\n"
        + logTail());
  }

  /** SIGTERM to the CA's PID, SIGKILL if it lingers; waits so the port and the database lock are free. */
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    try {
      process.destroy();
      if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  public String logTail() {
    try {
      return StepCaBinary.tail(Files.readString(pki.dir().resolve("step-ca.log")));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** Stops the CA and deletes its directory (keys, database, log) unless the run asked to keep it. */
  @Override
  public void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // already shutting down: the hook runs stop() again, harmlessly
    }
    if (!Boolean.getBoolean("stepca.keep")) {
      deleteTree(pki.dir());
    }
  }

  private static void deleteTree(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temp dir left behind is not worth failing the run for
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
