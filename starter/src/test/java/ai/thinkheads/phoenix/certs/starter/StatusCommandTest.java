package ai.thinkheads.phoenix.certs.starter;

import static ai.thinkheads.phoenix.certs.starter.CertificateStack.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.starter.CertificateStack.Run;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import ai.thinkheads.phoenix.certs.workflows.status.StatusMemos;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code status} where Temporal cannot list workflows (the test server, as the embedded dev server): it asks the
 * worker's {@code GET /status}, played here by an HTTP server that answers, as the worker does, with the statuses
 * the real certificate workflows published in their memos; it says so when the worker cannot be reached; and
 * with {@code --inventory} it falls back to one query per workflow.
 */
class StatusCommandTest {

  static final String TOKEN = "status-cli-token-0123456789";
  static CertificateStack stack;
  static HttpServer worker;
  static final AtomicInteger asked = new AtomicInteger();
  static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  @TempDir
  static Path dir;

  @BeforeAll
  static void start() throws Exception {
    stack = new CertificateStack();
    for (String name : new String[] {"web", "broken"}) { // both have inspected their target and published it
      long deadline = System.currentTimeMillis() + 10_000;
      while (memo(name) == null || !memo(name).phase().startsWith("waiting")) {
        assertTrue(System.currentTimeMillis() < deadline, "cert/" + name + " did not publish its status");
        Thread.sleep(100);
      }
    }
    worker = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    worker.createContext("/status", exchange -> {
      asked.incrementAndGet();
      boolean allowed = ("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"));
      byte[] body = JSON.writeValueAsBytes(allowed
          ? Map.of("inventory", "/etc/phoenix-certs/phoenix.yaml", "problems", List.of(),
              "certificates", List.of(memo("web"), memo("broken")))
          : Map.of("error", "missing or wrong bearer token"));
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(allowed ? 200 : 401, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    worker.start();
  }

  @AfterAll
  static void stop() {
    worker.stop(0);
    stack.close();
  }

  static CertificateStatus memo(String name) {
    return StatusMemos.of(stack.client.newUntypedWorkflowStub(CertificateWorkflow.workflowIdFor(name)).describe());
  }

  @Test
  void withoutVisibilityTheWorkerTellsTheStatus() throws Exception {
    Path token = dir.resolve("token");
    Files.writeString(token, TOKEN + "\n");
    String url = "http://127.0.0.1:" + worker.getAddress().getPort();
    Run run = cli("status", "--address", stack.address, "--url", url, "--token-file", token.toString());
    assertEquals(0, run.exit(), run.out() + run.err());
    assertTrue(run.out().lines().anyMatch(l -> l.startsWith("web ") && l.contains("unchanged")), run.out());
    assertTrue(run.out().lines().anyMatch(l -> l.startsWith("broken ") && l.contains("waiting until")), run.out());

    Run json = cli("status", "--json", "--address", stack.address, "--url", url, "--token-file", token.toString());
    assertEquals(0, json.exit(), json.err());
    List<CertificateStatus> rows = List.of(new ObjectMapper().registerModule(new JavaTimeModule())
        .readValue(json.out(), CertificateStatus[].class));
    assertEquals(List.of(memo("web"), memo("broken")), rows, "what the workflows published, as published");

    Path wrong = dir.resolve("wrong");
    Files.writeString(wrong, "not-the-token-at-all-0000\n");
    Run refused = cli("status", "--address", stack.address, "--url", url, "--token-file", wrong.toString());
    assertEquals(2, refused.exit(), refused.err());
    assertTrue(refused.err().contains("refused the token"), refused.err());
  }

  @Test
  void anUnreachableWorkerIsSaidAndAnInventoryIsTheLastResort() throws Exception {
    String nowhere = "http://127.0.0.1:" + freePort();
    Run run = cli("status", "--address", stack.address, "--url", nowhere, "--token-file", "/dev/null");
    assertEquals(3, run.exit(), run.out() + run.err());
    assertTrue(run.err().contains("cannot list workflows") && run.err().contains("cannot reach the worker"),
        run.err());

    Path inventory = dir.resolve("inventory.yaml");
    Files.writeString(inventory, "certificates:\n  - name: web\n  - name: gone\n");
    Run fallback = cli("status", "--address", stack.address, "--url", nowhere, "--token-file", "/dev/null",
        "--inventory", inventory.toString());
    assertEquals(1, fallback.exit(), "gone is not running: " + fallback.out() + fallback.err());
    assertTrue(fallback.out().lines().anyMatch(l -> l.startsWith("web ") && l.contains("unchanged")),
        fallback.out());
    assertTrue(fallback.out().lines().anyMatch(l -> l.startsWith("gone ") && l.contains("not running")),
        fallback.out());
  }

  private static int freePort() throws Exception {
    try (var socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
