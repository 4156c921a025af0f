package ai.thinkheads.phoenix.certs.activities.audit;

import ai.thinkheads.phoenix.certs.activities.crypto.CertificateFacts;
import ai.thinkheads.phoenix.certs.activities.plugin.Settings;
import ai.thinkheads.phoenix.certs.workflows.audit.CertificateFact;
import ai.thinkheads.phoenix.certs.workflows.audit.CertificateKind;
import ai.thinkheads.phoenix.certs.workflows.audit.Check;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The CA ({@code type: ca}, a default source): step-ca's {@code /health}, its {@code /roots} against the pinned
 * fingerprint, the intermediate and the CA's own TLS certificate as it serves them; for a CA without a URL (the
 * local CA), its root. Runs from the worker, which reaches the CA anyway.
 */
public final class CaSource implements AuditSource {

  public static final String TYPE = "ca";
  static final String COMPONENT = "ca";
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public boolean perGuest() {
    return false;
  }

  @Override
  public void gather(Settings settings, AuditScope scope, FactSink facts) throws Exception {
    X509Certificate pinned = scope.pinnedRoot();
    String pin = CertificateFacts.fingerprint(pinned);
    String health = scope.estate().caHealthUrl();
    if (health == null) {
      facts.add(Measure.of(CertificateKind.ROOT, COMPONENT, "root", scope.estate().issuer().type() + " CA root",
          pinned, List.of(), pinned).managed(null, null, null));
      return;
    }
    URI base = URI.create(health.replaceFirst("/health$", ""));
    String answer = get(URI.create(health));
    boolean ok = answer.contains("\"ok\"");
    facts.add(new Check(COMPONENT, "CA /health", ok, ok ? "answered ok" : "answered " + trim(answer)));
    JsonNode roots = JSON.readTree(get(base.resolve("/roots")));
    List<X509Certificate> served = new ArrayList<>();
    for (JsonNode crt : roots.path("crts")) {
      served.addAll(Measure.certificates(crt.asText()));
    }
    boolean pinServed = served.stream().anyMatch(r -> CertificateFacts.fingerprint(r).equalsIgnoreCase(pin));
    facts.add(new Check(COMPONENT, "CA /roots serves the pinned root", pinServed, pinServed ? pin
        : "served " + served.stream().map(CertificateFacts::fingerprint).toList() + ", pinned " + pin));
    for (X509Certificate root : served) {
      facts.add(Measure.of(CertificateKind.ROOT, COMPONENT, "root", base.resolve("/roots").toString(), root,
          List.of(), pinned));
    }
    int port = base.getPort() > 0 ? base.getPort() : 443;
    TlsProbe tls = TlsProbe.of(base.getHost(), port, base.getHost());
    List<X509Certificate> chain = tls.chain();
    String where = base.getHost() + ":" + port;
    CertificateFact leaf = Measure.of(CertificateKind.CA_TLS, COMPONENT, "CA TLS certificate", where, chain.get(0),
        chain, pinned).managed("step-ca", null, null).withServed(null, tls.protocol());
    facts.add(leaf.withExpectedSans(List.of(base.getHost())));
    for (X509Certificate c : chain.subList(1, chain.size())) {
      if (!ChainCheck.selfSigned(c)) {
        facts.add(Measure.of(CertificateKind.INTERMEDIATE, COMPONENT, "intermediate", where, c, chain, pinned));
      }
    }
  }

  /** GET over TLS accepting any server certificate: nothing is sent, and what comes back is judged by the pin. */
  static String get(URI uri) throws Exception {
    HttpsURLConnection connection = (HttpsURLConnection) new URL(uri.toString()).openConnection();
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, new TrustManager[] {new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    }}, new SecureRandom());
    connection.setSSLSocketFactory(context.getSocketFactory());
    connection.setHostnameVerifier((host, session) -> true);
    connection.setConnectTimeout(10_000);
    connection.setReadTimeout(10_000);
    int status = connection.getResponseCode();
    try (InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
      String body = in == null ? "" : new String(in.readNBytes(1 << 20), StandardCharsets.UTF_8);
      if (status >= 400) {
        throw new IllegalStateException(uri + " answered " + status + ": " + trim(body));
      }
      return body;
    }
  }

  private static String trim(String text) {
    return text.length() > 200 ? text.substring(0, 200) + "..." : text.strip();
  }
}
