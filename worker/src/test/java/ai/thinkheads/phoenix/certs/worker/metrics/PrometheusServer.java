package ai.thinkheads.phoenix.certs.worker.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus (Debian's prometheus package) on 127.0.0.1, with the config a test writes, its data in a
 * directory of the test, its output in {@code prometheus.log}; stopped by its PID (SIGTERM, then SIGKILL).
 */
final class PrometheusServer implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final int port;
  private final Path log;
  private final HttpClient http = HttpClient.newHttpClient();

  private PrometheusServer(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  static PrometheusServer start(Path config, Path dir, int port) throws IOException, InterruptedException {
    Path log = dir.resolve("prometheus.log");
    Process process = new ProcessBuilder("prometheus", "--config.file=" + config,
        "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    PrometheusServer server = new PrometheusServer(process, port, log);
    Instant deadline = Instant.now().plusSeconds(30);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("prometheus exited with " + process.exitValue() + ":\n" + server.log());
      }
      try {
        HttpResponse<String> ready = server.http.send(HttpRequest.newBuilder(server.url("/-/ready")).build(),
            HttpResponse.BodyHandlers.ofString());
        if (ready.statusCode() == 200) {
          return server;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    server.close();
    throw new IllegalStateException("prometheus not ready within 30 s:\n" + server.log());
  }

  URI url(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  /** {@code data.result} of an instant query. */
  JsonNode query(String promql) throws IOException, InterruptedException {
    return get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)).path("result");
  }

  /** {@code data.alerts} of /api/v1/alerts: every pending and firing alert. */
  JsonNode alerts() throws IOException, InterruptedException {
    return get("/api/v1/alerts").path("alerts");
  }

  /** The scrape targets and their health, for failure messages. */
  String targets() {
    try {
      return get("/api/v1/targets").path("activeTargets").toString();
    } catch (Exception e) {
      return "(" + e + ")";
    }
  }

  private JsonNode get(String path) throws IOException, InterruptedException {
    HttpResponse<String> answer = http.send(HttpRequest.newBuilder(url(path)).timeout(Duration.ofSeconds(10))
        .build(), HttpResponse.BodyHandlers.ofString());
    JsonNode body = JSON.readTree(answer.body());
    if (answer.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
      throw new IllegalStateException("GET " + path + ": " + answer.statusCode() + " " + answer.body());
    }
    return body.path("data");
  }

  long pid() {
    return process.pid();
  }

  String log() {
    try {
      String text = Files.readString(log);
      return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(15, TimeUnit.SECONDS);
    }
  }
}
