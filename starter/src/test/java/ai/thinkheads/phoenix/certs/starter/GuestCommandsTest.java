package ai.thinkheads.phoenix.certs.starter;

import static ai.thinkheads.phoenix.certs.starter.CertificateStack.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.starter.CertificateStack.Run;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import ai.thinkheads.phoenix.certs.workflows.guest.OnboardingRequest;
import ai.thinkheads.phoenix.certs.workflows.guest.GuestOnboardingWorkflow;
import ai.thinkheads.phoenix.certs.workflows.guest.TrustTarget;
import ai.thinkheads.phoenix.certs.workflows.model.TargetSpec;
import com.sun.net.httpserver.HttpServer;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * guest-event, onboard and inventory check. The events endpoint here is a stub that answers as the worker's
 * does (the real one is tested in the worker module); onboard --wait follows a real run on an embedded Temporal.
 */
class GuestCommandsTest {

  static final String TOKEN = "cli-test-token-0123456789";

  @TempDir
  static Path dir;
  static Path tokenFile;
  static HttpServer endpoint;
  static CertificateStack stack;
  static final List<String> received = new CopyOnWriteArrayList<>();
  static volatile String runToReport;

  @BeforeAll
  static void start() throws IOException {
    tokenFile = dir.resolve("token");
    Files.writeString(tokenFile, TOKEN + "\n");
    stack = new CertificateStack();
    endpoint = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    endpoint.createContext("/events/guest", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      received.add(body);
      String answer;
      int status;
      if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        status = 401;
        answer = "{\"error\":\"missing or wrong bearer token\"}";
      } else if (body.contains("\"vmid\":999")) {
        status = 422;
        answer = "{\"error\":\"vmid 999 is not in the inventory /etc/phoenix-certs/phoenix.yaml; add it\"}";
      } else if (body.contains("\"vmid\":500")) {
        status = 503;
        answer = "{\"error\":\"Temporal did not answer: UNAVAILABLE\"}";
      } else if (body.contains("post-stop")) {
        status = 200;
        answer = "{\"outcome\":\"ignored\",\"message\":\"phase post-stop: nothing to do\"}";
      } else {
        status = 202;
        answer = "{\"outcome\":\"started\",\"message\":\"onboarding guest/101\",\"workflowId\":\"guest/101\","
            + "\"runId\":\"" + runToReport + "\"}";
      }
      byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    endpoint.start();
  }

  @AfterAll
  static void stop() {
    endpoint.stop(0);
    stack.close();
  }

  static String url() {
    return "http://127.0.0.1:" + endpoint.getAddress().getPort();
  }

  @Test
  void guestEventPostsWhatTheHookscriptWouldAndMapsTheAnswerToAnExitCode() {
    received.clear();
    Run sent = cli("guest-event", "101", "post-start", "--url", url(), "--token-file", tokenFile.toString(),
        "--kind", "lxc");
    assertEquals(0, sent.exit(), sent.err());
    assertEquals(List.of("{\"vmid\":101,\"phase\":\"post-start\",\"node\":\"cli\",\"kind\":\"lxc\"}"),
        received.stream().map(GuestCommandsTest::sortedJson).toList());
    assertTrue(sent.out().startsWith("guest/101: onboarding started or joined"), sent.out());

    assertEquals(0, cli("guest-event", "101", "post-stop", "--url", url(), "--token-file", tokenFile.toString())
        .exit());
    Run rejected = cli("guest-event", "999", "post-start", "--url", url(), "--token-file", tokenFile.toString());
    assertEquals(1, rejected.exit());
    assertEquals("phoenix-certs guest-event: vmid 999 is not in the inventory /etc/phoenix-certs/phoenix.yaml; add it",
        rejected.err().strip());
    Run unavailable = cli("guest-event", "500", "post-start", "--url", url(), "--token-file", tokenFile.toString());
    assertEquals(3, unavailable.exit());
  }

  @Test
  void onboardTakesAGuestNameForAGuestWithoutAVmid() {
    received.clear();
    Run named = cli("onboard", "pve", "--url", url(), "--token-file", tokenFile.toString());
    assertEquals(0, named.exit(), named.err());
    assertEquals(1, received.size());
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    try {
      assertEquals(json.readTree("{\"guest\":\"pve\",\"phase\":\"manual\"}"), json.readTree(received.get(0)));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    Run bad = cli("onboard", "pve; id", "--url", url(), "--token-file", tokenFile.toString());
    assertEquals(2, bad.exit());
    assertTrue(bad.err().contains("is neither a Proxmox vmid nor a guest's name"), bad.err());
    assertEquals(1, received.size(), "nothing more was sent");
  }

  @Test
  void badArgumentsWrongTokensAndADeadWorkerAreOneActionableLine() throws IOException {
    received.clear();
    Run badVmid = cli("guest-event", "101; id", "post-start", "--url", url(), "--token-file", tokenFile.toString());
    assertEquals(2, badVmid.exit());
    assertTrue(badVmid.err().contains("is not a Proxmox vmid"), badVmid.err());
    Run badPhase = cli("guest-event", "101", "reboot", "--url", url(), "--token-file", tokenFile.toString());
    assertEquals(2, badPhase.exit());
    assertEquals(0, received.size(), "nothing was sent");

    Path wrong = dir.resolve("wrong");
    Files.writeString(wrong, "not-the-token-0123456789\n");
    Run refused = cli("guest-event", "101", "post-start", "--url", url(), "--token-file", wrong.toString());
    assertEquals(2, refused.exit());
    assertTrue(refused.err().contains("refused the token in " + wrong), refused.err());
    Run noFile = cli("guest-event", "101", "post-start", "--url", url(), "--token-file", dir.resolve("nope").toString());
    assertEquals(2, noFile.exit());
    assertTrue(noFile.err().contains("cannot read the token file"), noFile.err());

    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    Run dead = cli("onboard", "101", "--url", "http://127.0.0.1:" + closed, "--token-file", tokenFile.toString());
    assertEquals(3, dead.exit());
    assertEquals(1, dead.err().strip().lines().count(), dead.err());
    assertTrue(dead.err().contains("cannot reach the worker"), dead.err());
  }

  @Test
  void onboardWaitFollowsTheRunToItsOutcome() {
    OnboardingRequest input = new OnboardingRequest("test");
    GuestOnboardingWorkflow workflow = stack.client.newWorkflowStub(GuestOnboardingWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId("guest/101").setTaskQueue(CertificateWorkflow.TASK_QUEUE).build());
    WorkflowExecution run = WorkflowClient.start(workflow::onboard, input); // what the worker would have started
    runToReport = run.getRunId();
    received.clear();

    Run onboard = cli("onboard", "101", "--wait", "--url", url(), "--token-file", tokenFile.toString(),
        "--address", stack.address);
    assertEquals(0, onboard.exit(), onboard.out() + onboard.err());
    assertTrue(received.get(0).contains("\"phase\":\"manual\""), received.toString());
    assertTrue(onboard.out().contains("guest/101: installing"), "progress: " + onboard.out());
    assertTrue(onboard.out().contains("guest/101: onboarded: installed system; verified: TLS to the CA"),
        onboard.out());
  }

  @Test
  void inventoryCheckRunsTheWorkersOwnChecks() throws IOException {
    Run missing = cli("inventory", "check", "x.yaml", "--worker-jar", dir.resolve("none.jar").toString());
    assertEquals(2, missing.exit());
    assertTrue(missing.err().contains("cannot find the worker jar"), missing.err());

    Path jar = Path.of("..", "worker", "target", InventoryCommand.WORKER_JAR);
    assertTrue(Files.isRegularFile(jar), jar + " is missing: build the worker first (mvn verify builds it before "
        + "these tests)");
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "ca: {type: nope}\n");
    assertEquals(0, cli("inventory", "check", "../examples/demo.yaml", "--worker-jar", jar.toString()).exit());
    assertEquals(2, cli("inventory", "check", bad.toString(), "--worker-jar", jar.toString()).exit());
  }

  /** The CLI writes a Map: compare its JSON with the hookscript's field order. */
  private static String sortedJson(String json) {
    try {
      var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
      var node = mapper.readTree(json);
      return "{\"vmid\":" + node.get("vmid") + ",\"phase\":" + node.get("phase") + ",\"node\":" + node.get("node")
          + ",\"kind\":" + node.get("kind") + "}";
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
