package ai.thinkheads.phoenix.certs.activities.testing;

import ai.thinkheads.phoenix.certs.activities.testing.guest.SimulatedGuest;
import ai.thinkheads.phoenix.certs.activities.transport.ExecResult;
import ai.thinkheads.phoenix.certs.activities.transport.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A real nginx (Debian nginx-light) serving TLS inside a simulated guest, with its config, pid and logs in the
 * guest's folder and its certificate in the guest's private /etc/nginx/ssl. Started and reloaded over ssh.
 */
public final class GuestNginx {

  private final Path dir;
  private final int port;
  private final String serverName;
  private final String name;

  public GuestNginx(SimulatedGuest guest, String name, String serverName) throws IOException {
    this.name = name;
    this.dir = guest.dir().resolve("nginx-" + name);
    this.port = freePort();
    this.serverName = serverName;
    Files.createDirectories(dir.resolve("tmp"));
    Files.writeString(config(), config(dir, server(port, serverName, certPath(name), keyPath(name))));
  }

  /** An nginx config keeping its pid, logs and temp files under {@code dir}, serving {@code servers}. */
  public static String config(Path dir, String servers) {
    return """
        pid %1$s/nginx.pid;
        error_log %1$s/error.log;
        worker_processes 1;
        events { worker_connections 256; }
        http {
          access_log off;
          client_body_temp_path %1$s/tmp/body;
          proxy_temp_path %1$s/tmp/proxy;
          fastcgi_temp_path %1$s/tmp/fastcgi;
          uwsgi_temp_path %1$s/tmp/uwsgi;
          scgi_temp_path %1$s/tmp/scgi;
        %2$s}
        """.formatted(dir, servers);
  }

  /** One TLS server block on 127.0.0.1:{@code port} for {@code serverName}. */
  public static String server(int port, String serverName, String certPath, String keyPath) {
    return """
          server {
            listen 127.0.0.1:%d ssl;
            server_name %s;
            ssl_certificate %s;
            ssl_certificate_key %s;
            return 200 "ok";
          }
        """.formatted(port, serverName, certPath, keyPath);
  }

  public static String certPath(String name) {
    return "/etc/nginx/ssl/" + name + ".crt";
  }

  public static String keyPath(String name) {
    return "/etc/nginx/ssl/" + name + ".key";
  }

  /** The name its certificate and key files are named by ({@link #certPath}, {@link #keyPath}). */
  public String name() {
    return name;
  }

  public Path config() {
    return dir.resolve("nginx.conf");
  }

  public String endpoint() {
    return "127.0.0.1:" + port;
  }

  /** nginx -t with this config: the validate step. */
  public List<String> testArgv() {
    return List.of("nginx", "-t", "-q", "-c", config().toString(), "-e", dir.resolve("error.log").toString());
  }

  /** Reload when running, start otherwise (the first issuance): the reload step. */
  public List<String> reloadArgv() {
    String c = config().toString();
    String e = dir.resolve("error.log").toString();
    return List.of("sh", "-c", "if [ -s \"$1/nginx.pid\" ] && kill -0 \"$(cat \"$1/nginx.pid\")\" 2>/dev/null; "
        + "then nginx -s reload -c \"$2\" -e \"$3\"; else nginx -c \"$2\" -e \"$3\"; fi", "reload", dir.toString(), c,
        e);
  }

  /** Breaks the config the way a bad edit would: nginx -t fails, the running nginx keeps its old config. */
  public void breakConfig() throws IOException {
    Files.writeString(config(), Files.readString(config()).replace("worker_processes 1;",
        "worker_processes 1;\nthis_is_not_a_directive on;"));
  }

  /** The serial nginx serves now, from a handshake that trusts anything (the test looks, it does not trust). */
  public String servedSerial() throws Exception {
    return servedSerial(port, serverName);
  }

  /** The serial served on 127.0.0.1:{@code port} for {@code serverName}, trusting anything (tests look only). */
  public static String servedSerial(int port, String serverName) throws Exception {
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, new TrustManager[] {new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    }}, null);
    try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setServerNames(List.of(new SNIHostName(serverName)));
      socket.setSSLParameters(parameters);
      socket.startHandshake();
      return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber().toString(16);
    }
  }

  /** Stops this nginx (it daemonizes inside the guest, so stopping sshd would not). */
  public void stop(Transport transport) {
    ExecResult ignored = transport.exec(List.of("sh", "-c", "[ -s \"$1\" ] && kill \"$(cat \"$1\")\" || true",
        "stop", dir.resolve("nginx.pid").toString()), Duration.ofSeconds(10));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
