package ai.thinkheads.phoenix.certs.worker.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The events endpoint over HTTP: authentication, input checks, size limit, inventory lookup, health, 503. */
class EventsEndpointTest {

  @TempDir
  static Path dir;
  static EventsFixture fixture;
  static EventsServer server;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws IOException {
    fixture = new EventsFixture(dir);
    server = fixture.startServer(EventsFixture.freePort(), null);
  }

  @AfterAll
  static void stop() {
    server.close();
    fixture.close();
  }

  @Test
  void withoutAValidTokenTheAnswerIs401() throws Exception {
    String event = "{\"vmid\":101,\"phase\":\"pre-stop\"}";
    HttpResponse<String> none = post(server.port(), event, null);
    assertEquals(401, none.statusCode());
    assertEquals("Bearer realm=\"phoenix-certs\"", none.headers().firstValue("WWW-Authenticate").orElse(""));
    assertTrue(none.body().contains("bearer token"), none.body());
    assertEquals(401, post(server.port(), event, "Bearer " + EventsFixture.TOKEN + "x").statusCode());
    assertEquals(401, post(server.port(), event, "Basic " + EventsFixture.TOKEN).statusCode());
    assertEquals(401, post(server.port(), event, "Bearer ").statusCode());
    assertEquals(200, post(server.port(), event, "bearer " + EventsFixture.TOKEN).statusCode());
  }

  @Test
  void badInputIs400WithTheReason() throws Exception {
    Map<String, String> cases = Map.of(
        "{\"vmid\":101,", "not JSON",
        "[1,2]", "expected a JSON object",
        "{\"vmid\":\"101\",\"phase\":\"post-start\"}", "vmid: expected a Proxmox vmid",
        "{\"vmid\":42,\"phase\":\"post-start\"}", "vmid: expected a Proxmox vmid",
        "{\"vmid\":101,\"phase\":\"reboot\"}", "phase: expected one of",
        "{\"vmid\":101,\"phase\":\"post-start\",\"node\":\"a b\"}", "node: expected a host name",
        "{\"vmid\":101,\"phase\":\"post-start\",\"kind\":\"docker\"}", "kind: expected",
        "{\"vmid\":101,\"phase\":\"post-start\",\"cmd\":\"id\"}", "unknown field 'cmd'",
        "{\"vmid\":101,\"vmid\":102,\"phase\":\"post-start\"}", "not JSON",
        "{\"vmid\":101,\"phase\":\"post-start\"} {}", "not JSON");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      HttpResponse<String> answer = post(server.port(), c.getKey(), "Bearer " + EventsFixture.TOKEN);
      assertEquals(400, answer.statusCode(), c.getKey() + " -> " + answer.body());
      assertTrue(answer.body().contains(c.getValue()), c.getKey() + " -> " + answer.body());
    }
  }

  @Test
  void anOversizedBodyIsRejected() throws Exception {
    String padded = "{\"vmid\":101,\"phase\":\"post-start\",\"node\":\"" + "a".repeat(5000) + "\"}";
    assertEquals(413, post(server.port(), padded, "Bearer " + EventsFixture.TOKEN).statusCode());
  }

  @Test
  void aGuestNotInTheInventoryOrOfAnotherKindIs422() throws Exception {
    HttpResponse<String> unknown = post(server.port(), "{\"vmid\":999,\"phase\":\"post-start\"}",
        "Bearer " + EventsFixture.TOKEN);
    assertEquals(422, unknown.statusCode());
    assertTrue(unknown.body().contains("vmid 999 is not in the inventory"), unknown.body());
    HttpResponse<String> kind = post(server.port(), "{\"vmid\":201,\"phase\":\"post-start\",\"kind\":\"lxc\"}",
        "Bearer " + EventsFixture.TOKEN);
    assertEquals(422, kind.statusCode());
    assertTrue(kind.body().contains("vm/201 in the inventory, but Proxmox"), kind.body());
  }

  @Test
  void anOperatorMayNameTheGuestInsteadOfItsVmid() throws Exception {
    HttpResponse<String> started = post(server.port(), "{\"guest\":\"wiki\",\"phase\":\"manual\"}",
        "Bearer " + EventsFixture.TOKEN);
    assertEquals(202, started.statusCode(), started.body());
    assertTrue(started.body().contains("\"workflowId\":\"guest/107\""), started.body());
    HttpResponse<String> unknown = post(server.port(), "{\"guest\":\"nobody\",\"phase\":\"manual\"}",
        "Bearer " + EventsFixture.TOKEN);
    assertEquals(422, unknown.statusCode(), unknown.body());
    assertTrue(unknown.body().contains("guest nobody is not in the inventory"), unknown.body());
    Map<String, String> bad = Map.of(
        "{\"guest\":\"wiki\",\"phase\":\"post-start\"}", "an event naming a guest is an operator's request",
        "{\"guest\":\"wiki\",\"vmid\":107,\"phase\":\"manual\"}", "give one of them, not both",
        "{\"guest\":\"a b\",\"phase\":\"manual\"}", "guest: expected a guest's name",
        "{\"guest\":\"../x\",\"phase\":\"manual\"}", "guest: expected a guest's name");
    for (Map.Entry<String, String> c : bad.entrySet()) {
      HttpResponse<String> answer = post(server.port(), c.getKey(), "Bearer " + EventsFixture.TOKEN);
      assertEquals(400, answer.statusCode(), c.getKey() + " -> " + answer.body());
      assertTrue(answer.body().contains(c.getValue()), c.getKey() + " -> " + answer.body());
    }
  }

  @Test
  void aStartIsAcceptedWithTheWorkflowIdAndOtherPhasesAreIgnored() throws Exception {
    HttpResponse<String> started = post(server.port(),
        "{\"vmid\":103,\"phase\":\"post-start\",\"node\":\"pve\",\"kind\":\"lxc\"}", "Bearer " + EventsFixture.TOKEN);
    assertEquals(202, started.statusCode(), started.body());
    assertTrue(started.body().contains("\"workflowId\":\"guest/103\""), started.body());
    HttpResponse<String> ignored = post(server.port(), "{\"vmid\":103,\"phase\":\"post-stop\"}",
        "Bearer " + EventsFixture.TOKEN);
    assertEquals(200, ignored.statusCode());
    assertTrue(ignored.body().contains("\"outcome\":\"ignored\""), ignored.body());
  }

  @Test
  void healthIsUpWhileTemporalAnswers() throws Exception {
    HttpResponse<String> health = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.port() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, health.statusCode());
    assertEquals("{\"status\":\"UP\"}", health.body());
  }

  /** A worker whose Temporal is gone answers 503 with Retry-After at once, so the hook spools and moves on. */
  @Test
  void temporalUnreachableIs503WithRetryAfter() throws Exception {
    int deadPort = EventsFixture.freePort();
    WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget("127.0.0.1:" + deadPort).build());
    try (ApplicationContext context = ApplicationContext.run(Map.of("micronaut.server.port", -1))) {
      context.getBean(EventsAuth.class).use(BearerToken.read(fixture.tokenFile));
      context.getBean(GuestEventService.class).attach(WorkflowClient.newInstance(stubs), fixture.engine.inventory());
      EmbeddedServer down = context.getBean(EmbeddedServer.class).start();
      long started = System.nanoTime();
      HttpResponse<String> answer = post(down.getPort(), "{\"vmid\":101,\"phase\":\"post-start\"}",
          "Bearer " + EventsFixture.TOKEN);
      long millis = (System.nanoTime() - started) / 1_000_000;
      assertEquals(503, answer.statusCode(), answer.body());
      assertEquals("10", answer.headers().firstValue("Retry-After").orElse(""));
      assertTrue(answer.body().contains("Temporal did not answer"), answer.body());
      assertTrue(millis < 1_500, "answered in " + millis + " ms");
      HttpResponse<String> health = http.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + down.getPort() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(503, health.statusCode());
      assertTrue(health.body().contains("\"status\":\"DOWN\""), health.body());
    } finally {
      stubs.shutdownNow();
    }
  }

  static HttpResponse<String> post(int port, String body, String authorization)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/events/guest"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
