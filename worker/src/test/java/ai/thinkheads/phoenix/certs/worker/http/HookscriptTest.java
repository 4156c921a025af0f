package ai.thinkheads.phoenix.certs.worker.http;

import static ai.thinkheads.phoenix.certs.worker.http.EventsFixture.await;
import static ai.thinkheads.phoenix.certs.worker.http.RecordingGuestOnboarding.runs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.workflows.guest.OnboardingRequest;
import ai.thinkheads.phoenix.certs.workflows.guest.TrustTarget;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hookscript as Proxmox runs it (bash, two arguments) against a running engine. The guest workflow is
 * {@link RecordingGuestOnboarding}, a stand-in until GuestOnboardingWorkflowImpl is merged: these tests prove
 * delivery, not onboarding.
 */
class HookscriptTest {

  /** The hookscript's default time bound is 2 s; what Proxmox waits for it must stay under this. */
  static final long BOUND_MILLIS = 2_500;

  @TempDir
  static Path shared;
  static EventsFixture fixture;

  @TempDir
  Path dir;
  Path spool;
  int port;
  Hook hook;

  @BeforeAll
  static void engine() throws IOException {
    fixture = new EventsFixture(shared);
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  @BeforeEach
  void hook() throws IOException {
    spool = dir.resolve("spool");
    port = EventsFixture.freePort();
    Files.copy(fixture.tokenFile, dir.resolve("events.token"));
    Files.createDirectories(dir.resolve("pve/lxc"));
    Files.createDirectories(dir.resolve("pve/qemu-server"));
    hook = new Hook(dir, port, spool);
  }

  @Test
  void aStartEventOnboardsTheGuestAndTenQuickCallsStartOneRun() throws Exception {
    Files.writeString(dir.resolve("pve/lxc/101.conf"), "hostname: web\n");
    try (EventsServer server = fixture.startServer(port, spool)) {
      List<Process> calls = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        calls.add(hook.start("101", "post-start"));
      }
      for (Process call : calls) {
        // the bound itself is tested alone below; ten at once on two cores only need to end
        assertTrue(call.waitFor(10, TimeUnit.SECONDS), "a call ended");
        assertEquals(0, call.exitValue(), new String(call.getErrorStream().readAllBytes()));
      }
      await("guest/101 started", () -> runs("guest/101") >= 1, 5_000);
      Thread.sleep(500); // a second run, if any, would show up by now
      assertEquals(1, runs("guest/101"), "ten events while the run is open join it (USE_EXISTING)");

      OnboardingRequest input = RecordingGuestOnboarding.RUNS.get("guest/101").get(0);
      assertEquals("Proxmox post-start of 101 on node pve-test", input.reason());
      assertEquals(0, spoolFiles().size());
    }
  }

  @Test
  void engineDownTheEventIsSpooledThenDeliveredOnceWhenTheWorkerStarts() throws Exception {
    Hook.Result down = hook.run("102", "post-start");
    assertEquals(0, down.exit(), down.err());
    assertTrue(down.millis() < BOUND_MILLIS, "returned in " + down.millis() + " ms");
    List<Path> spooled = spoolFiles();
    assertEquals(1, spooled.size(), "one file per event");
    assertEquals("{\"vmid\":102,\"phase\":\"post-start\",\"node\":\"pve-test\",\"kind\":\"unknown\"}",
        Files.readString(spooled.get(0)).strip());
    assertEquals(0, runs("guest/102"));

    try (EventsServer server = fixture.startServer(port, spool)) { // drains the spool as it starts
      await("the spooled event delivered", () -> runs("guest/102") == 1, 5_000);
      assertEquals(0, spoolFiles().size());
      assertEquals(0, hook.run("103", "post-start").exit()); // a later successful call finds nothing to resend
      await("guest/103 started", () -> runs("guest/103") == 1, 5_000);
    }
    Thread.sleep(RecordingGuestOnboarding.HOLD.toMillis() + 500); // past the first run: a resend would start another
    assertEquals(1, runs("guest/102"), "delivered exactly once");
  }

  @Test
  void spooledEventsAreDeliveredByTheNextSuccessfulCallOldestFirst() throws Exception {
    assertEquals(0, hook.run("104", "post-start").exit());
    assertEquals(0, hook.run("106", "post-start").exit());
    assertEquals(2, spoolFiles().size());
    try (EventsServer server = fixture.startServer(port, null)) { // this worker does not drain the spool
      Hook.Result up = hook.run("105", "post-start");
      assertEquals(0, up.exit(), up.err());
      assertTrue(up.out().contains("delivered 2 spooled event(s)"), up.out());
      await("all three delivered", () -> runs("guest/104") == 1 && runs("guest/105") == 1 && runs("guest/106") == 1,
          5_000);
      assertEquals(0, spoolFiles().size());
    }
  }

  @Test
  void anEngineThatNeverAnswersCostsTheBoundAndTheEventIsSpooled() throws Exception {
    try (ServerSocket silent = new ServerSocket(port)) { // accepts connections, never answers
      Hook.Result hung = hook.run("107", "post-start");
      assertEquals(0, hung.exit(), hung.err());
      assertTrue(hung.millis() < BOUND_MILLIS, "returned in " + hung.millis() + " ms");
      assertTrue(hung.millis() >= 1_500, "waited for the engine: " + hung.millis() + " ms");
      assertEquals(1, spoolFiles().size());
    }
  }

  @Test
  void injectionAttemptsAreRefusedAndRunNothing() throws Exception {
    Path canary = dir.resolve("canary");
    String touch = "touch " + canary;
    Files.writeString(dir.resolve("hook.conf"), """
        # a hostile config line is read as text, never run
        PHOENIX_PHASES="post-start $(%1$s)"
        %1$s
        PHOENIX_SPOOL_DIR=`%1$s`
        """.formatted(touch));
    try (EventsServer server = fixture.startServer(port, spool)) {
      int runsBefore = RecordingGuestOnboarding.total();
      List<List<String>> attempts = List.of(
          List.of("101; " + touch, "post-start"),
          List.of("101; rm -rf " + dir.resolve("pve"), "post-start"),
          List.of("$(" + touch + ")", "post-start"),
          List.of("`" + touch + "`", "post-start"),
          List.of("101\n" + touch, "post-start"),
          List.of("101", "post-start; " + touch),
          List.of("101", "$(" + touch + ")"),
          List.of("101", "unknown-phase"),
          List.of("1".repeat(100_000), "post-start"),
          List.of("101", "post-start".repeat(10_000)),
          List.of("-1", "post-start"),
          List.of("0101", "post-start"),
          List.of("101"),
          List.of("101", "post-start", touch));
      for (List<String> attempt : attempts) {
        Hook.Result refused = hook.run(attempt.toArray(String[]::new));
        assertEquals(2, refused.exit(), "refused " + abbreviate(attempt) + ": " + refused.err());
        assertTrue(refused.err().contains("refused"), refused.err());
      }
      Hook.Result preStart = hook.run("$(" + touch + ")", "pre-start");
      assertEquals(0, preStart.exit(), "a pre-start is never failed: it would abort the guest's start");

      assertFalse(Files.exists(canary), "no injected command ran");
      assertTrue(Files.isDirectory(dir.resolve("pve")));
      assertEquals(0, spoolFiles().size());
      Thread.sleep(300);
      assertEquals(runsBefore, RecordingGuestOnboarding.total(), "no event reached the engine");
    }
  }

  @Test
  void aHostileHostNameIsSanitizedIntoTheEvent() throws Exception {
    Path canary = dir.resolve("canary");
    String hostile = "pve\",\"vmid\":105,\"x\":\"$(touch " + canary + ")";
    hook.env.put("HOSTNAME", hostile);
    Files.writeString(dir.resolve("pve/qemu-server/201.conf"), "name: portainer\n");
    try (EventsServer server = fixture.startServer(port, spool)) {
      Hook.Result sent = hook.run("201", "post-start");
      assertEquals(0, sent.exit(), sent.err());
      await("guest/201 started", () -> runs("guest/201") == 1, 5_000);
      String node = hostile.replaceAll("[^A-Za-z0-9.-]", "");
      node = node.substring(0, Math.min(63, node.length()));
      assertEquals("Proxmox post-start of 201 on node " + node,
          RecordingGuestOnboarding.RUNS.get("guest/201").get(0).reason(), "only host-name characters, at most 63");
      assertEquals(0, runs("guest/105"), "the injected vmid went nowhere");
      assertFalse(Files.exists(canary));
    }
  }

  private static String abbreviate(List<String> args) {
    return args.stream().map(a -> a.length() > 30 ? a.substring(0, 30) + "..." : a).toList().toString();
  }

  private List<Path> spoolFiles() throws IOException {
    if (!Files.isDirectory(spool)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(spool)) {
      return files.filter(f -> !f.getFileName().toString().startsWith(".")).sorted().toList();
    }
  }
}
