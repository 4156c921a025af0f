package ai.thinkheads.phoenix.certs.activities.steps;

import ai.thinkheads.phoenix.certs.workflows.failure.FailureType;
import ai.thinkheads.phoenix.certs.activities.certificate.LivePair;
import ai.thinkheads.phoenix.certs.activities.crypto.CertificateFacts;
import ai.thinkheads.phoenix.certs.activities.issuer.HeldCertificate;
import ai.thinkheads.phoenix.certs.activities.plugin.Option;
import ai.thinkheads.phoenix.certs.activities.plugin.Settings;
import ai.thinkheads.phoenix.certs.activities.plugin.SpecProblem;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathValidator;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Proves over TLS that the new certificate is in use: type {@code tls}. Options: {@code endpoint} (host:port),
 * {@code serverName} (SNI; defaults to the first DNS SAN), {@code mode}: {@code server} (default: the served leaf
 * has the expected serial, chains to the root and carries the SANs) or {@code client} (an mTLS client certificate:
 * a handshake presenting it to a server that requires client authentication succeeds). {@code settle}: how long
 * the old certificate may still be served after a reload (15s).
 */
public final class TlsVerifier implements Verifier {

  public static final String TYPE = "tls";
  static final int TIMEOUT_MILLIS = 10_000;
  static final long SETTLE_POLL_MILLIS = 250;
  private static final Pattern ENDPOINT = Pattern.compile(".+:[0-9]{1,5}");

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public String label() {
    return "a tls verify step";
  }

  @Override
  public List<Option> options() {
    return List.of(Option.text("endpoint").required("127.0.0.1:443").matching(ENDPOINT, "host:port"),
        Option.text("serverName"), Option.text("mode").oneOf("server", "client").orElse("server"),
        Option.duration("settle").orElse("15s"));
  }

  @Override
  public List<SpecProblem> check(Settings settings) {
    return Step.noArgv(this, settings, "name the endpoint");
  }

  @Override
  public String verify(StepContext context, String expectedSerial) {
    Settings settings = context.settings(this);
    String endpoint = settings.get("endpoint");
    X509Certificate root = context.root();
    boolean client = "client".equals(settings.get("mode"));
    long settleUntil = System.currentTimeMillis() + settings.duration("settle").toMillis();
    try {
      SSLContext tls = SSLContext.getInstance("TLS");
      // Server mode looks at the served serial before judging its chain: until a reload has settled, the old
      // certificate may be served, and that one need not chain to this root (a first deploy over a foreign one).
      tls.init(client ? clientKeys(context) : null, client ? trustOnly(root).getTrustManagers()
          : new TrustManager[] {new LookOnlyTrustManager()}, null);
      while (true) {
        try (SSLSocket socket = handshake(tls, endpoint, serverName(context, settings))) {
          if (client) {
            awaitServerVerdict(socket);
            return "mTLS handshake with " + endpoint + " presenting serial " + expectedSerial + " accepted";
          }
          X509Certificate served = (X509Certificate) socket.getSession().getPeerCertificates()[0];
          // A reload is asynchronous (nginx signals its workers): the old certificate may be served a moment.
          if (!CertificateFacts.serialOf(served).equals(expectedSerial) && System.currentTimeMillis() < settleUntil) {
            Thread.sleep(SETTLE_POLL_MILLIS);
            continue;
          }
          checkChain(context, socket.getSession().getPeerCertificates(), root, endpoint);
          return checkServed(context, served, expectedSerial, endpoint);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ai.thinkheads.phoenix.certs.activities.transport.TransportException(context.where()
          + ": interrupted", true, e);
    } catch (SSLHandshakeException e) {
      throw new StepFailedException(FailureType.VERIFICATION_FAILED, context.where() + ": TLS handshake with " + endpoint
          + " failed: " + e.getMessage());
    } catch (IOException e) {
      // nothing listening yet (a restart in progress): worth a retry
      throw new ai.thinkheads.phoenix.certs.activities.transport.TransportException(context.where()
          + ": cannot reach " + endpoint + ": " + e.getMessage(), true, e);
    } catch (GeneralSecurityException e) {
      throw new StepFailedException(FailureType.VERIFICATION_FAILED, context.where() + ": " + e.getMessage());
    }
  }

  /** The served chain (leaf first, root optional) must lead to the pinned root: PKIX, no revocation check. */
  private static void checkChain(StepContext context, Certificate[] served, X509Certificate root, String endpoint) {
    List<X509Certificate> path = new ArrayList<>();
    for (Certificate certificate : served) {
      if (!certificate.equals(root)) {
        path.add((X509Certificate) certificate);
      }
    }
    try {
      PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
      parameters.setRevocationEnabled(false);
      CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(path),
          parameters);
    } catch (GeneralSecurityException e) {
      throw new StepFailedException(FailureType.VERIFICATION_FAILED, context.where() + ": the chain " + endpoint
          + " serves does not lead to the root " + root.getSubjectX500Principal().getName() + ": " + e.getMessage());
    }
  }

  /** Accepts any server chain during the handshake; {@link #checkChain} judges it once the serial is right. */
  private static final class LookOnlyTrustManager implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
      throw new UnsupportedOperationException("a client-side trust manager");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
      // looked at, then validated by checkChain
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }

  private static String checkServed(StepContext context, X509Certificate served, String expectedSerial,
      String endpoint) {
    String serial = CertificateFacts.serialOf(served);
    if (!serial.equals(expectedSerial)) {
      throw new StepFailedException(FailureType.VERIFICATION_FAILED, context.where() + ": " + endpoint + " serves serial "
          + serial + ", expected " + expectedSerial);
    }
    HashSet<String> sans = new HashSet<>(CertificateFacts.sansOf(served));
    List<String> wanted = context.certificate().sans();
    if (!sans.containsAll(wanted.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList())) {
      throw new StepFailedException(FailureType.VERIFICATION_FAILED, context.where() + ": " + endpoint + " serves SANs " + sans
          + ", expected " + wanted);
    }
    return endpoint + " serves serial " + serial + ", chained to the root, SANs " + wanted;
  }

  private static SSLSocket handshake(SSLContext tls, String endpoint, String serverName) throws IOException {
    int colon = endpoint.lastIndexOf(':');
    String host = endpoint.substring(0, colon);
    int port = Integer.parseInt(endpoint.substring(colon + 1));
    SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket();
    try {
      socket.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
      socket.setSoTimeout(TIMEOUT_MILLIS);
      SSLParameters parameters = socket.getSSLParameters();
      if (serverName != null) {
        parameters.setServerNames(List.of(new SNIHostName(serverName)));
      }
      socket.setSSLParameters(parameters);
      socket.startHandshake();
      return socket;
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  /**
   * With TLS 1.3 the client's handshake completes before the server has judged the client certificate; a
   * refusal arrives as an alert on the first read. So send a harmless request and read: any answer, even an
   * HTTP error or a closed connection, means the certificate was accepted.
   */
  private static void awaitServerVerdict(SSLSocket socket) throws IOException {
    socket.getOutputStream().write("HEAD / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    try {
      socket.getInputStream().read();
    } catch (javax.net.ssl.SSLException refused) {
      throw new SSLHandshakeException("client certificate refused: " + refused.getMessage());
    }
  }

  private static String serverName(StepContext context, Settings settings) {
    String configured = settings.get("serverName");
    if (configured != null) {
      return configured;
    }
    return context.certificate().sans().stream().filter(s -> !s.startsWith("*.") && !s.matches("[0-9.:]+"))
        .findFirst().orElse(null);
  }

  private static TrustManagerFactory trustOnly(X509Certificate root) throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setCertificateEntry("root", root);
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    return factory;
  }

  /** The live pair read from the target once, held only in memory for this handshake. */
  private static javax.net.ssl.KeyManager[] clientKeys(StepContext context)
      throws GeneralSecurityException, IOException {
    Optional<HeldCertificate> held = LivePair.held(context.transport(), context.certificate().files());
    if (held.isEmpty()) {
      // only on failure: read again for the reason (missing, unreadable, mismatched)
      throw new StepFailedException(FailureType.VERIFICATION_FAILED, context.where() + ": "
          + LivePair.read(context.transport(), context.certificate().files()).problem());
    }
    char[] password = new char[0];
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("client", held.get().key(), password, held.get().chain().toArray(new Certificate[0]));
    KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    factory.init(store, password);
    return factory.getKeyManagers();
  }

}
