package ai.thinkheads.phoenix.certs.activities.audit;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * What a TLS endpoint serves: its chain and protocol. It accepts any chain on purpose: the audit judges the chain
 * itself (against the pinned root) and sends nothing over the connection.
 */
public record TlsProbe(List<X509Certificate> chain, String protocol) {

  static final Duration TIMEOUT = Duration.ofSeconds(10);

  public static TlsProbe of(String host, int port, String serverName) throws Exception {
    return of(host, port, serverName, TIMEOUT);
  }

  public static TlsProbe of(String host, int port, String serverName, Duration timeout) throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, new TrustManager[] {new AcceptAll()}, new SecureRandom());
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
      socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
      socket.setSoTimeout((int) timeout.toMillis());
      if (serverName != null && !serverName.isBlank() && !serverName.matches("[0-9.]+|.*:.*")) {
        SSLParameters params = socket.getSSLParameters();
        params.setServerNames(List.of(new SNIHostName(serverName)));
        socket.setSSLParameters(params);
      }
      socket.startHandshake();
      List<X509Certificate> chain = new ArrayList<>();
      for (Certificate c : socket.getSession().getPeerCertificates()) {
        chain.add((X509Certificate) c);
      }
      return new TlsProbe(List.copyOf(chain), socket.getSession().getProtocol());
    }
  }

  /** "host:port" (IPv6 in brackets) split. */
  static String[] hostPort(String address) {
    int colon = address.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("'" + address + "' is not host:port");
    }
    String host = address.substring(0, colon).replace("[", "").replace("]", "");
    return new String[] {host, address.substring(colon + 1)};
  }

  private static final class AcceptAll implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
