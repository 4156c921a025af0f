package ai.thinkheads.phoenix.certs.activities.testing.acme;

import ai.thinkheads.phoenix.certs.activities.crypto.Csrs;
import ai.thinkheads.phoenix.certs.activities.crypto.KeyPairs;
import ai.thinkheads.phoenix.certs.activities.crypto.Pem;
import ai.thinkheads.phoenix.certs.activities.issuer.IssueRequest;
import ai.thinkheads.phoenix.certs.activities.issuer.IssuedCertificate;
import ai.thinkheads.phoenix.certs.activities.issuer.LocalCaIssuer;
import ai.thinkheads.phoenix.certs.workflows.model.KeyAlgorithm;
import ai.thinkheads.phoenix.certs.workflows.model.KeyUsage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Debian's {@code pebble}, Let's Encrypt's test ACME server, on 127.0.0.1: its HTTPS listener with a certificate
 * from a CA made here ({@link #caBundle()}), challenge names resolved through {@link ChallengeDns}, and http-01
 * validated on {@code httpPort} (chosen by the test, as a real CA uses 80). It signs with a root it makes at
 * start, fetched from its management port into {@link #rootFile()}. No artificial validation delays, and no
 * reuse of valid authorizations (each order proves its names again).
 */
public final class PebbleServer implements AutoCloseable {

  private final int port;
  private final Path dir;
  private final LoggedProcess process;

  private PebbleServer(int port, Path dir, LoggedProcess process) {
    this.port = port;
    this.dir = dir;
    this.process = process;
  }

  static PebbleServer start(Path dir, ChallengeDns dns, int httpPort) {
    try {
      Files.createDirectories(dir);
      int port = LoggedProcess.freePort();
      int managementPort = LoggedProcess.freePort();
      writeTls(dir);
      Files.writeString(dir.resolve("pebble.json"), """
          {"pebble": {
            "listenAddress": "127.0.0.1:%d",
            "managementListenAddress": "127.0.0.1:%d",
            "certificate": "%s",
            "privateKey": "%s",
            "httpPort": %d,
            "tlsPort": %d,
            "ocspResponderURL": "",
            "externalAccountBindingRequired": false
          }}
          """.formatted(port, managementPort, dir.resolve("tls.crt"), dir.resolve("tls.key"), httpPort,
          LoggedProcess.freePort()));
      LoggedProcess process = LoggedProcess.start("pebble", List.of("pebble", "-config",
          dir.resolve("pebble.json").toString(), "-dnsserver", dns.server(), "-strict=false"),
          Map.of("PEBBLE_VA_NOSLEEP", "1", "PEBBLE_AUTHZREUSE", "0"), dir.resolve("pebble.log"));
      PebbleServer pebble = new PebbleServer(port, dir, process);
      HttpClient client = HttpClient.newBuilder().sslContext(trusting(dir.resolve("ca.crt")))
          .connectTimeout(Duration.ofSeconds(2)).build();
      process.awaitReady(() -> get(client, "https://127.0.0.1:" + port + "/dir") != null);
      Files.writeString(dir.resolve("root.crt"), get(client, "https://127.0.0.1:" + managementPort + "/roots/0"));
      return pebble;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot set up pebble in " + dir, e);
    }
  }

  public URI directory() {
    return URI.create("https://127.0.0.1:" + port + "/dir");
  }

  /** The CA of pebble's own HTTPS certificate: what the acme issuer's {@code caBundle} names. */
  public Path caBundle() {
    return dir.resolve("ca.crt");
  }

  /** The root pebble signs with (made at its start): what the acme issuer's {@code root} names. */
  public Path rootFile() {
    return dir.resolve("root.crt");
  }

  public String logTail() {
    return process.tail();
  }

  @Override
  public void close() {
    process.close();
  }

  /** A certificate for 127.0.0.1 and localhost from a CA made with the project's own code. */
  private static void writeTls(Path dir) throws IOException {
    LocalCaIssuer ca = new LocalCaIssuer(dir.resolve("tls-ca"), "pebble TLS test CA");
    KeyPair keys = KeyPairs.generate(KeyAlgorithm.ECDSA_P256);
    List<String> names = List.of("127.0.0.1", "localhost");
    IssuedCertificate tls = ca.issue(new IssueRequest("pebble", Csrs.create(keys, "localhost", names),
        "localhost", names, List.of(KeyUsage.SERVER), Duration.ofDays(2)));
    Files.writeString(dir.resolve("tls.crt"), Pem.encodeChain(tls.chain()));
    Files.writeString(dir.resolve("tls.key"), Pem.encode(keys.getPrivate()));
    Files.writeString(dir.resolve("ca.crt"), Pem.encode(tls.root()));
  }

  private static SSLContext trusting(Path caFile) {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      store.setCertificateEntry("ca", Pem.certificates(Files.readString(caFile)).get(0));
      TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
      trust.init(store);
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(null, trust.getTrustManagers(), null);
      return tls;
    } catch (Exception e) {
      throw new IllegalStateException("cannot trust " + caFile + ": " + e.getMessage(), e);
    }
  }

  private static String get(HttpClient client, String url) {
    try {
      HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create(url))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
      return answer.statusCode() == 200 ? answer.body() : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
