package ai.thinkheads.phoenix.certs.activities.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.activities.crypto.Pem;
import ai.thinkheads.phoenix.certs.activities.issuer.LocalCaIssuer;
import ai.thinkheads.phoenix.certs.activities.testing.LocalStack;
import ai.thinkheads.phoenix.certs.activities.testing.SpecSteps;
import ai.thinkheads.phoenix.certs.activities.transport.LocalTransport;
import ai.thinkheads.phoenix.certs.workflows.certificate.StagedCertificate;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;
import ai.thinkheads.phoenix.certs.workflows.model.KeyUsage;
import ai.thinkheads.phoenix.certs.workflows.model.StepSpec;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.Socket;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tls verifier against a real TLS server (the JDK's) serving a certificate from the local CA. */
class TlsVerifierTest {

  @TempDir
  Path dir;

  @Test
  void serverModeChecksSerialChainAndSans() throws Exception {
    LocalCaIssuer issuer = LocalStack.issuer(dir, Clock.systemUTC());
    SpecSteps activities = LocalStack.steps(issuer);
    CertificateSpec spec = LocalStack.spec(dir, "web", Duration.ofHours(1));
    StagedCertificate staged = activities.issueAndStage(spec);
    activities.activate(spec, staged);

    try (SSLServerSocket server = serve(spec, null)) {
      StepContext context = context(spec, issuer, "127.0.0.1:" + server.getLocalPort(), "server");
      String proof = new TlsVerifier().verify(context, staged.serial());
      assertTrue(proof.contains("serves serial " + staged.serial()), proof);

      StepFailedException wrong = assertThrows(StepFailedException.class,
          () -> new TlsVerifier().verify(context, "0bad"));
      assertEquals("VerificationFailed", wrong.type().type());
      assertTrue(wrong.getMessage().contains("expected 0bad"), wrong.getMessage());

      LocalCaIssuer other = new LocalCaIssuer(dir.resolve("other"), "Other");
      StepFailedException untrusted = assertThrows(StepFailedException.class,
          () -> new TlsVerifier().verify(context(spec, other, "127.0.0.1:" + server.getLocalPort(), "server"),
              staged.serial()));
      assertTrue(untrusted.getMessage().contains("does not lead to the root"), untrusted.getMessage());
    }
  }

  @Test
  void serverModeWaitsOutAForeignCertificateBeforeJudgingTheChain() throws Exception {
    LocalCaIssuer issuer = LocalStack.issuer(dir, Clock.systemUTC());
    SpecSteps activities = LocalStack.steps(issuer);
    CertificateSpec spec = LocalStack.spec(dir, "web", Duration.ofHours(1));
    // What a service serves before its first deploy: a certificate from somewhere else (here another CA).
    LocalCaIssuer foreign = LocalStack.issuer(dir.resolve("foreign"), Clock.systemUTC());
    CertificateSpec before = LocalStack.spec(dir.resolve("foreign"), "web", Duration.ofHours(1));
    SpecSteps foreignSteps = LocalStack.steps(foreign);
    foreignSteps.activate(before, foreignSteps.issueAndStage(before));
    StagedCertificate staged = activities.issueAndStage(spec);
    activities.activate(spec, staged);

    SwitchingKeyManager keys = new SwitchingKeyManager(before, spec);
    try (SSLServerSocket server = serve(keys)) {
      // The reload lands 300 ms into the verify step's settle time (1 s).
      Thread reload = new Thread(() -> {
        sleepQuietly(300);
        keys.switchToSecond();
      });
      reload.start();
      String proof = new TlsVerifier().verify(context(spec, issuer, "127.0.0.1:" + server.getLocalPort(), "server"),
          staged.serial());
      assertTrue(proof.contains("serves serial " + staged.serial()), proof);
      reload.join();
    }
  }

  @Test
  void clientModePresentsTheCertificateToAServerThatRequiresIt() throws Exception {
    LocalCaIssuer issuer = LocalStack.issuer(dir, Clock.systemUTC());
    SpecSteps activities = LocalStack.steps(issuer);
    CertificateSpec server = LocalStack.spec(dir, "agent", Duration.ofHours(1));
    activities.activate(server, activities.issueAndStage(server));
    CertificateSpec client = clientSpec(LocalStack.spec(dir, "client", Duration.ofHours(1)));
    StagedCertificate staged = activities.issueAndStage(client);
    activities.activate(client, staged);

    try (SSLServerSocket agent = serve(server, issuer.root())) {
      String proof = new TlsVerifier().verify(context(client, issuer, "127.0.0.1:" + agent.getLocalPort(),
          "client"), staged.serial());
      assertTrue(proof.startsWith("mTLS handshake"), proof);
    }
    LocalCaIssuer stranger = new LocalCaIssuer(dir.resolve("stranger"), "Stranger");
    try (SSLServerSocket agent = serve(server, stranger.root())) {
      assertThrows(RuntimeException.class, () -> new TlsVerifier().verify(context(client, issuer,
          "127.0.0.1:" + agent.getLocalPort(), "client"), staged.serial()),
          "a server that does not trust our CA must refuse the client certificate");
    }
  }

  private static CertificateSpec clientSpec(CertificateSpec s) {
    return new CertificateSpec(s.name(), s.target(), s.issuer(), s.commonName(), s.sans(), s.key(),
        List.of(KeyUsage.CLIENT), s.lifetime(), s.renewAt(), s.renewBefore(), s.files(), s.validate(), s.reload(),
        s.verify(), s.after());
  }

  private static StepContext context(CertificateSpec spec, LocalCaIssuer issuer, String endpoint, String mode) {
    return new StepContext("verify", new StepSpec("tls", List.of(), Map.of("endpoint", endpoint, "mode", mode, "settle", "1s")),
        spec, new LocalTransport("local/test"), issuer::root);
  }

  /** A TLS server on a free loopback port serving the spec's pair; with clientRoot, it requires client certs. */
  private static SSLServerSocket serve(CertificateSpec spec, X509Certificate clientRoot) throws Exception {
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keyStore(spec), new char[0]);
    return serve(kmf.getKeyManagers(), clientRoot);
  }

  private static SSLServerSocket serve(SwitchingKeyManager keys) throws Exception {
    return serve(new KeyManager[] {keys}, null);
  }

  private static KeyStore keyStore(CertificateSpec spec) throws Exception {
    List<X509Certificate> chain = Pem.certificates(Files.readString(Path.of(spec.files().cert())));
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry("server", Pem.privateKey(Files.readString(Path.of(spec.files().key()))), new char[0],
        chain.toArray(new Certificate[0]));
    return keys;
  }

  /** Serves one pair, then, from {@link #switchToSecond}, another: a service reloading its certificate. */
  private static final class SwitchingKeyManager extends X509ExtendedKeyManager {
    private final X509KeyManager first;
    private final X509KeyManager second;
    private volatile boolean switched;

    SwitchingKeyManager(CertificateSpec first, CertificateSpec second) throws Exception {
      this.first = keyManager(first);
      this.second = keyManager(second);
    }

    private static X509KeyManager keyManager(CertificateSpec spec) throws Exception {
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keyStore(spec), new char[0]);
      return (X509KeyManager) kmf.getKeyManagers()[0];
    }

    void switchToSecond() {
      switched = true;
    }

    private X509KeyManager current() {
      return switched ? second : first;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return null;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return current().getServerAliases(keyType, issuers);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return current().getServerAliases(keyType, issuers) == null ? null : "server";
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
      return chooseServerAlias(keyType, issuers, null);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return current().getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return current().getPrivateKey(alias);
    }
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static SSLServerSocket serve(KeyManager[] keyManagers, X509Certificate clientRoot) throws Exception {
    TrustManagerFactory tmf = null;
    if (clientRoot != null) {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("root", clientRoot);
      tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
    }
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(keyManagers, tmf == null ? null : tmf.getTrustManagers(), null);
    SSLServerSocket server = (SSLServerSocket) tls.getServerSocketFactory().createServerSocket(0, 50,
        java.net.InetAddress.getLoopbackAddress());
    server.setNeedClientAuth(clientRoot != null);
    Thread acceptor = new Thread(() -> {
      while (!server.isClosed()) {
        try (SSLSocket socket = (SSLSocket) server.accept()) {
          socket.startHandshake();
          InputStream in = socket.getInputStream();
          socket.setSoTimeout(2000);
          in.read();
        } catch (Exception ignored) {
          // a refused handshake or a closed server: next connection
        }
      }
    });
    acceptor.setDaemon(true);
    acceptor.start();
    return server;
  }
}
