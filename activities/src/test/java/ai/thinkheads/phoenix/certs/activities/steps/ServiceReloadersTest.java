package ai.thinkheads.phoenix.certs.activities.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.activities.certificate.CertificateActivitiesImpl;
import ai.thinkheads.phoenix.certs.activities.estate.Authority;
import ai.thinkheads.phoenix.certs.activities.plugin.PluginRegistry;
import ai.thinkheads.phoenix.certs.activities.testing.TestEstate;
import ai.thinkheads.phoenix.certs.activities.testing.guest.SimulatedGuest;
import ai.thinkheads.phoenix.certs.activities.testing.guest.SimulatedGuests;
import ai.thinkheads.phoenix.certs.activities.transport.ssh.SshConnectionPool;
import ai.thinkheads.phoenix.certs.activities.transport.ssh.SshTransportFactory;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateFiles;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;
import ai.thinkheads.phoenix.certs.workflows.model.StepSpec;
import ai.thinkheads.phoenix.certs.workflows.model.TargetSpec;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The systemd and docker reloaders over real SSH on a simulated guest. The guest has neither systemd nor Docker:
 * stand-in {@code systemctl} and {@code docker} scripts in its private /usr/local/sbin (first on root's PATH, so
 * they shadow this machine's own) record every call they get, one {@code [arg][arg]...} line each, and answer
 * {@code is-active} and {@code inspect} from state files the test writes.
 */
class ServiceReloadersTest {

  @RegisterExtension
  static final SimulatedGuests GUESTS = SimulatedGuests.count(1);

  static final String SYSTEMCTL = """
      #!/bin/sh
      # stand-in for systemctl: records the call; is-active answers the first line of systemctl.states (the
      # last line stays); an action fails with the text of systemctl.fail when that file exists
      here=/usr/local/sbin
      { for a in "$@"; do printf '[%s]' "$a"; done; echo; } >> $here/systemctl.calls
      case "$1" in
        is-active)
          state=$(head -n 1 $here/systemctl.states)
          if [ "$(wc -l < $here/systemctl.states)" -gt 1 ]; then sed -i 1d $here/systemctl.states; fi
          echo "$state"
          [ "$state" = active ] || exit 3 ;;
        *)
          if [ -e $here/systemctl.fail ]; then cat $here/systemctl.fail >&2; exit 1; fi ;;
      esac
      """;

  static final String DOCKER = """
      #!/bin/sh
      # stand-in for docker: records the call; inspect prints docker.running; restart and kill print the
      # container, or fail with the text of docker.fail when that file exists
      here=/usr/local/sbin
      { for a in "$@"; do printf '[%s]' "$a"; done; echo; } >> $here/docker.calls
      case "$1" in
        inspect) cat $here/docker.running ;;
        *)
          if [ -e $here/docker.fail ]; then cat $here/docker.fail >&2; exit 1; fi
          for last in "$@"; do :; done; echo "$last" ;;
      esac
      """;

  static SimulatedGuest guest;
  static SshConnectionPool pool;
  static SshTransportFactory ssh;
  static TargetSpec target;
  static Path sbin;

  @BeforeAll
  static void standIns() throws IOException {
    guest = GUESTS.guest(0);
    pool = new SshConnectionPool();
    ssh = new SshTransportFactory(pool);
    target = new TargetSpec("ssh", "lxc/101", guest.sshOptions(GUESTS.keys().ed25519()));
    sbin = guest.hostPath("/usr/local/sbin");
    install("systemctl", SYSTEMCTL);
    install("docker", DOCKER);
  }

  @AfterAll
  static void removeStandIns() throws IOException {
    for (String file : List.of("systemctl", "docker")) {
      Files.deleteIfExists(sbin.resolve(file));
    }
    reset();
    pool.close();
  }

  @BeforeEach
  void clean() throws IOException {
    reset();
  }

  @Test
  void systemdRestartRunsSystemctlThenConfirmsTheUnitIsActive() throws IOException {
    state("systemctl.states", "active");
    String done = new SystemdReloader().reload(context(systemd(Map.of("unit", "nginx", "action", "restart"))));
    assertEquals(List.of("[restart][nginx]", "[is-active][nginx]"), calls("systemctl"));
    assertTrue(done.contains("nginx is active"), done);
  }

  @Test
  void systemdReloadsByDefault() throws IOException {
    state("systemctl.states", "active");
    new SystemdReloader().reload(context(systemd(Map.of("unit", "getty@tty1.service"))));
    assertEquals(List.of("[reload][getty@tty1.service]", "[is-active][getty@tty1.service]"), calls("systemctl"));
  }

  @Test
  void aRestartThatLeavesTheUnitFailedFailsTheStepNamingUnitStateAndGuest() throws IOException {
    state("systemctl.states", "failed");
    StepFailedException e = assertThrows(StepFailedException.class, () -> new SystemdReloader()
        .reload(context(systemd(Map.of("unit", "nginx", "action", "restart")))));
    assertEquals("CommandFailed", e.type().type());
    assertTrue(e.getMessage().contains("unit nginx is 'failed' after `systemctl restart nginx`"), e.getMessage());
    assertTrue(e.getMessage().contains("lxc/101 (127.0.0.1:" + guest.port() + ")"), e.getMessage());
    assertEquals(List.of("[restart][nginx]", "[is-active][nginx]"), calls("systemctl"));
  }

  @Test
  void aUnitStillActivatingGetsAMomentToBecomeActive() throws IOException {
    state("systemctl.states", "activating\nactivating\nactive");
    new SystemdReloader().reload(context(systemd(Map.of("unit", "nginx", "action", "reload-or-restart"))));
    assertEquals(List.of("[reload-or-restart][nginx]", "[is-active][nginx]", "[is-active][nginx]",
        "[is-active][nginx]"), calls("systemctl"));
  }

  @Test
  void aRefusedReloadFailsWithSystemctlsOwnWords() throws IOException {
    state("systemctl.states", "active");
    state("systemctl.fail", "nginx.service is not active, cannot reload.");
    StepFailedException e = assertThrows(StepFailedException.class,
        () -> new SystemdReloader().reload(context(systemd(Map.of("unit", "nginx")))));
    assertTrue(e.getMessage().contains("`systemctl reload nginx` exited 1: nginx.service is not active, cannot "
        + "reload."), e.getMessage());
    assertEquals(List.of("[reload][nginx]"), calls("systemctl"), "no is-active after a refused reload");
  }

  @Test
  void dockerRestartRestartsThenConfirmsTheContainerRuns() throws IOException {
    state("docker.running", "true");
    String done = new DockerReloader().reload(context(docker(Map.of("container", "portainer"))));
    assertEquals(List.of("[restart][portainer]", "[inspect][-f][{{.State.Running}}][portainer]"), calls("docker"));
    assertTrue(done.contains("container portainer is running"), done);
  }

  @Test
  void aContainerNotRunningAfterTheRestartFailsTheStepNamingIt() throws IOException {
    state("docker.running", "false");
    StepFailedException e = assertThrows(StepFailedException.class,
        () -> new DockerReloader().reload(context(docker(Map.of("container", "portainer")))));
    assertEquals("CommandFailed", e.type().type());
    assertTrue(e.getMessage().contains("container portainer is not running after `docker restart portainer`"),
        e.getMessage());
    assertTrue(e.getMessage().contains("lxc/101"), e.getMessage());
  }

  @Test
  void killHupSignalsTheContainerInsteadOfRestartingIt() throws IOException {
    state("docker.running", "true");
    new DockerReloader().reload(context(docker(Map.of("container", "3f4e1a2b9c0d", "action", "kill-hup",
        "timeout", "20s"))));
    assertEquals(List.of("[kill][--signal][HUP][3f4e1a2b9c0d]", "[inspect][-f][{{.State.Running}}][3f4e1a2b9c0d]"),
        calls("docker"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"-x", "a;b", "$(id)", "nginx --now", ""})
  void hostileNamesAreRejectedBeforeAnythingRuns(String name) throws IOException {
    state("systemctl.states", "active");
    state("docker.running", "true");
    StepFailedException unit = assertThrows(StepFailedException.class,
        () -> new SystemdReloader().reload(context(systemd(Map.of("unit", name)))));
    StepFailedException container = assertThrows(StepFailedException.class,
        () -> new DockerReloader().reload(context(docker(Map.of("container", name)))));
    for (StepFailedException e : List.of(unit, container)) {
      assertEquals("InvalidSpec", e.type().type());
      assertTrue(e.getMessage().startsWith("reload of web on lxc/101 (127.0.0.1:" + guest.port() + "): "),
          e.getMessage());
      assertTrue(e.getMessage().contains(name.isEmpty() ? "missing" : "'" + name + "' is not a"), e.getMessage());
    }
    assertEquals(List.of(), calls("systemctl"), "systemctl never ran");
    assertEquals(List.of(), calls("docker"), "docker never ran");
  }

  @Test
  void unknownOptionsArgvAndBadValuesAreRejectedBeforeAnythingRuns() throws IOException {
    StepFailedException typo = assertThrows(StepFailedException.class,
        () -> new SystemdReloader().reload(context(systemd(Map.of("unit", "nginx", "acton", "restart")))));
    assertTrue(typo.getMessage().contains("acton: unknown option 'acton' for a systemd step (known: action, "
        + "timeout, unit)"), typo.getMessage());
    StepFailedException action = assertThrows(StepFailedException.class,
        () -> new DockerReloader().reload(context(docker(Map.of("container", "portainer", "action", "stop")))));
    assertTrue(action.getMessage().contains("action: 'stop' is not one of restart, kill-hup"), action.getMessage());
    StepFailedException argv = assertThrows(StepFailedException.class, () -> new DockerReloader().reload(context(
        new StepSpec("docker", List.of("docker", "restart", "portainer"), Map.of("container", "portainer")))));
    assertTrue(argv.getMessage().contains("argv: a docker step takes no argv"), argv.getMessage());
    StepFailedException timeout = assertThrows(StepFailedException.class,
        () -> new SystemdReloader().reload(context(systemd(Map.of("unit", "nginx", "timeout", "soon")))));
    assertTrue(timeout.getMessage().contains("timeout: 'soon' is not a duration"), timeout.getMessage());
    assertEquals(List.of(), calls("systemctl"));
    assertEquals(List.of(), calls("docker"));
  }

  /**
   * Two certificates in one container have one reload key, whatever order the inventory listed each one's options
   * in: their guest's coordinator runs one restart for both. A failed container fails the reload as a
   * non-retryable failure the workflows roll back on.
   */
  @Test
  void twoCertificatesWithTheSameDockerReloadShareOneKeyAndAFailedContainerFailsTheReload() throws Exception {
    Map<String, String> listed = new LinkedHashMap<>();
    listed.put("container", "portainer");
    listed.put("action", "restart");
    listed.put("timeout", "30s");
    Map<String, String> reversed = new LinkedHashMap<>();
    reversed.put("timeout", "30s");
    reversed.put("action", "restart");
    reversed.put("container", "portainer");
    CertificateSpec server = spec("portainer-server", docker(listed));
    CertificateSpec client = spec("portainer-server-client", docker(reversed));
    assertEquals(server.reloadKey(), client.reloadKey());
    assertTrue(server.sharesReloadWith(client));
    Map<String, String> kill = new LinkedHashMap<>(listed);
    kill.put("action", "kill-hup");
    assertFalse(server.sharesReloadWith(spec("portainer-agent", docker(kill))), "another action is another reload");

    TestEstate estate = new TestEstate(null);
    CertificateActivitiesImpl steps = new CertificateActivitiesImpl(new Authority(() -> estate),
        PluginRegistry.of(ssh, new DockerReloader(), new SystemdReloader()));
    state("docker.running", "true");
    steps.reload(estate.put(server));
    assertEquals(List.of("[restart][portainer]", "[inspect][-f][{{.State.Running}}][portainer]"), calls("docker"));

    state("docker.running", "false");
    ApplicationFailure failure = assertThrows(ApplicationFailure.class, () -> steps.reload(estate.put(server)));
    assertEquals("CommandFailed", failure.getType());
    assertTrue(failure.isNonRetryable());
  }

  private static StepSpec systemd(Map<String, String> options) {
    return new StepSpec("systemd", List.of(), options);
  }

  private static StepSpec docker(Map<String, String> options) {
    return new StepSpec("docker", List.of(), options);
  }

  private static CertificateSpec spec(String name, StepSpec reload) {
    return new CertificateSpec(name, target, "local", name + ".test", List.of(name + ".test"), null, null,
        Duration.ofHours(1), 0, null, new CertificateFiles("/etc/docker/certs.d/" + name + ".crt",
            "/etc/docker/certs.d/" + name + ".key", null, null, null, null),
        StepSpec.none(), reload, StepSpec.none(), List.of());
  }

  private static StepContext context(StepSpec reload) {
    return new StepContext("reload", reload, spec("web", reload), ssh.open(target), () -> {
      throw new AssertionError("a reloader needs no root");
    });
  }

  private static void install(String name, String script) throws IOException {
    Path file = sbin.resolve(name);
    Files.writeString(file, script, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private static void state(String file, String content) throws IOException {
    Files.writeString(sbin.resolve(file), content + "\n", StandardCharsets.UTF_8);
  }

  private static void reset() throws IOException {
    for (String file : List.of("systemctl.calls", "systemctl.states", "systemctl.fail", "docker.calls",
        "docker.running", "docker.fail")) {
      Files.deleteIfExists(sbin.resolve(file));
    }
  }

  private static List<String> calls(String program) throws IOException {
    Path file = sbin.resolve(program + ".calls");
    return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
  }
}
