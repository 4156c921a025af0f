package ai.thinkheads.phoenix.certs.activities.issuer.acme;

import java.net.http.HttpClient;
import javax.net.ssl.SSLContext;
import org.shredzone.acme4j.connector.NetworkSettings;
import org.shredzone.acme4j.provider.GenericAcmeProvider;

/**
 * acme4j's generic provider (any http(s) directory URL), speaking TLS with our trust: a step-ca's pinned root, or
 * the inventory's CA bundle. acme4j 4 builds its HTTP client here, as its Pebble provider does for Pebble's CA.
 */
final class TlsAcmeProvider extends GenericAcmeProvider {

  private final SSLContext tls;

  TlsAcmeProvider(SSLContext tls) {
    this.tls = tls;
  }

  @Override
  public HttpClient createHttpClient(NetworkSettings settings) {
    HttpClient.Builder builder = HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NORMAL)
        .connectTimeout(settings.getTimeout())
        .proxy(settings.getProxySelector())
        .sslContext(tls);
    if (settings.getAuthenticator() != null) {
      builder.authenticator(settings.getAuthenticator());
    }
    return builder.build();
  }
}
