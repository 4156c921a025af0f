package ai.thinkheads.phoenix.certs.worker.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.activities.plugin.PluginRegistry;
import ai.thinkheads.phoenix.certs.worker.engine.Engine;
import ai.thinkheads.phoenix.certs.worker.http.EventsServer;
import ai.thinkheads.phoenix.certs.worker.inventory.InventoryStore;
import ai.thinkheads.phoenix.certs.worker.temporal.TemporalConnection;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus.Outcome;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import ai.thinkheads.phoenix.certs.workflows.model.SearchAttributes;
import ai.thinkheads.phoenix.certs.workflows.status.StatusMemos;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.micronaut.context.ApplicationContext;
import io.temporal.api.enums.v1.EventType;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status projection on the dev stack (embedded Temporal, the worker, the local CA, real files): what the
 * certificate workflows publish is what their targets hold, what their memo and their status query say, what
 * {@code GET /status} serves (with the token only), and what a worker that starts later reads back from the memos.
 */
class StatusProjectionTest {

  static final String TOKEN = "status-token-0123456789abcdef";
  private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  @TempDir
  Path dir;

  @Test
  void theProjectionIsWhatTheWorkflowsPublishAndWhatTheTargetsHold() throws Exception {
    Path inventoryFile = dir.resolve("inventory.yaml");
    Files.writeString(inventoryFile, """
        ca: {type: local, dataDir: %1$s/ca}
        guests:
          - {name: here, kind: local}
        certificates:
          - name: alpha
            guest: here
            sans: [alpha.test]
            lifetime: 1h
            files: {cert: %1$s/alpha.crt, key: %1$s/alpha.key}
          - name: beta
            guest: here
            sans: [beta.test]
            lifetime: 1h
            files: {cert: %1$s/beta.crt, key: %1$s/beta.key}
          - name: broken
            guest: here
            sans: [broken.test]
            lifetime: 1h
            files: {cert: %1$s/broken.crt, key: %1$s/broken.key}
            reload: {type: command, argv: [false]}
        """.formatted(dir));
    Path tokenFile = dir.resolve("events.token");
    Files.writeString(tokenFile, TOKEN + "\n");
    int httpPort = freePort();
    try (ApplicationContext context = ApplicationContext.run(Map.of("micronaut.server.port", httpPort,
        "phoenix.events.token-file", tokenFile.toString()))) {
      PluginRegistry plugins = context.getBean(PluginRegistry.class);
      InventoryStore inventory = InventoryStore.open(inventoryFile, plugins);
      try (Engine engine = Engine.start(inventory, plugins, TemporalConnection.embedded(freePort()),
          java.time.Duration.ofHours(1));
          EventsServer events = EventsServer.start(context, engine, false).orElseThrow()) {
        StatusProjection projection = engine.statuses();
        List<CertificateStatus> heard = new CopyOnWriteArrayList<>();
        projection.onChange(heard::add);
        List<CertificateStatus> settled = awaitSettled(projection, 60);

        CertificateStatus alpha = settled.get(0);
        CertificateStatus broken = settled.get(2);
        assertEquals(List.of("alpha", "beta", "broken"), settled.stream().map(CertificateStatus::name).toList(),
            "one row per certificate, in the inventory's order");
        for (CertificateStatus status : settled.subList(0, 2)) {
          X509Certificate live = leaf(dir.resolve(status.name() + ".crt"));
          assertEquals(Outcome.ISSUED, status.lastOutcome(), status.toString());
          assertEquals(live.getSerialNumber().toString(16), status.serial(), "the serial the target holds");
          assertEquals(live.getNotAfter().toInstant(), status.notAfter(), "the notAfter the target holds");
          assertNotNull(status.nextRenewal());
          assertTrue(status.phase().startsWith("waiting until"), status.phase());
        }
        assertEquals(Outcome.FAILED, broken.lastOutcome(), broken.toString());
        assertEquals("CommandFailed", broken.failure(), broken.toString());
        assertTrue(broken.lastError().contains("`false` exited 1"), broken.lastError());
        assertTrue(broken.phase().startsWith("backing off"), broken.phase());

        var client = engine.client();
        // broken retries every 10 s or so: the values compared whole are those of the two that wait an hour
        for (CertificateStatus status : settled.subList(0, 2)) {
          var description = client.newUntypedWorkflowStub(CertificateWorkflow.workflowIdFor(status.name()))
              .describe();
          assertEquals(status, StatusMemos.of(description), "the memo is what the projection holds");
          assertEquals(status, client.newWorkflowStub(CertificateWorkflow.class,
              CertificateWorkflow.workflowIdFor(status.name())).status(), "and what the workflow answers");
          assertEquals(status.nextRenewal(), description.getTypedSearchAttributes()
              .get(SearchAttributes.NEXT_RENEWAL).toInstant());
          assertEquals(status.lastOutcome().name().toLowerCase(), description.getTypedSearchAttributes()
              .get(SearchAttributes.LAST_OUTCOME));
        }
        long memoEvents = client.fetchHistory("cert/alpha").getHistory().getEventsList().stream()
            .filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED).count();
        assertTrue(memoEvents >= 3, "the run published its phases: " + memoEvents);

        // GET /status: the token, and the projection as it is
        HttpClient http = HttpClient.newHttpClient();
        URI uri = URI.create("http://127.0.0.1:" + events.port() + "/status");
        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(uri).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(401, refused.statusCode(), "no token, no status");
        HttpResponse<String> answered = http.send(HttpRequest.newBuilder(uri)
            .header("Authorization", "Bearer " + TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answered.statusCode(), answered.body());
        JsonNode body = JSON.readTree(answered.body());
        List<CertificateStatus> served = new ArrayList<>();
        body.path("certificates").forEach(row -> served.add(JSON.convertValue(row, CertificateStatus.class)));
        assertEquals(steady(projection.all()), steady(served));
        assertEquals(inventoryFile.toString(), body.path("inventory").asText());

        // a worker that starts later reads the same from the memos: one describe each, no query
        StatusProjection restarted = new StatusProjection(() -> inventory.get().certificates());
        assertEquals(3, StatusSeed.fill(restarted, client, inventory.get().certificates()));
        assertEquals(steady(projection.all()), steady(restarted.all()));

        // a renewal: the listener hears the new serial, the one now on the target
        client.newWorkflowStub(CertificateWorkflow.class, "cert/beta").renewNow();
        CertificateStatus renewed = awaitStatus(projection, "beta", s -> s.lastOutcome() == Outcome.RENEWED
            && s.phase().startsWith("waiting"), 60);
        assertNotEquals(settled.get(1).serial(), renewed.serial());
        assertEquals(leaf(dir.resolve("beta.crt")).getSerialNumber().toString(16), renewed.serial());
        assertTrue(heard.contains(renewed), "the listener was told");
        assertTrue(heard.stream().anyMatch(s -> s.name().equals("beta") && s.phase().startsWith("issuing")),
            "and heard the phases as they happened: " + heard);
      }
    }
  }

  /** What does not change while a failing certificate retries: its outcome and failure, not its count. */
  private static List<Object> steady(List<CertificateStatus> statuses) {
    return statuses.stream().<Object>map(s -> s.lastOutcome() == Outcome.FAILED
        ? List.of(s.name(), s.lastOutcome(), s.failure()) : s).toList();
  }

  private static List<CertificateStatus> awaitSettled(StatusProjection projection, int seconds)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + seconds * 1000L;
    List<CertificateStatus> all = projection.all();
    while (System.currentTimeMillis() < deadline) {
      all = projection.all();
      if (all.stream().allMatch(s -> s.phase().startsWith("waiting") || s.phase().startsWith("backing off"))) {
        return all;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("not settled in " + seconds + " s: " + all);
  }

  private static CertificateStatus awaitStatus(StatusProjection projection, String name,
      java.util.function.Predicate<CertificateStatus> condition, int seconds) throws InterruptedException {
    long deadline = System.currentTimeMillis() + seconds * 1000L;
    CertificateStatus last = null;
    while (System.currentTimeMillis() < deadline) {
      last = projection.get(name).orElse(null);
      if (last != null && condition.test(last)) {
        return last;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("not reached in " + seconds + " s: " + last);
  }

  private static X509Certificate leaf(Path pem) throws Exception {
    try (var in = Files.newInputStream(pem)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
