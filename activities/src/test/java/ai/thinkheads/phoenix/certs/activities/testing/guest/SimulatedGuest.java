package ai.thinkheads.phoenix.certs.activities.testing.guest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One guest of tools/guest/start-guest.sh: a private mount namespace with a real sshd on 127.0.0.1:port. Its
 * sshd log (stderr) goes to {@code <dir>.sshd.log}, appended across restarts, where every login shows up as an
 * "Accepted publickey" line: the tests count TCP connections with it. Its /root is private (see
 * {@link #privateHome()}).
 */
public final class SimulatedGuest {

  private final Path repoRoot;
  private final Path dir;
  private final int port;
  private final Path authorizedKeys;
  private final Path trustTemplate;
  private final Path log;
  private Process sshd;

  private SimulatedGuest(Path repoRoot, Path dir, int port, Path authorizedKeys, Path trustTemplate) {
    this.repoRoot = repoRoot;
    this.dir = dir;
    this.port = port;
    this.authorizedKeys = authorizedKeys;
    this.trustTemplate = trustTemplate;
    this.log = dir.resolveSibling(dir.getFileName() + ".sshd.log");
  }

  /** {@code trustTemplate}: a store made by tools/guest/make-trust-template.sh that a new guest copies. */
  static SimulatedGuest start(Path repoRoot, Path dir, int port, Path authorizedKeys, Path trustTemplate) {
    SimulatedGuest guest = new SimulatedGuest(repoRoot, dir, port, authorizedKeys, trustTemplate);
    guest.start();
    return guest;
  }

  public int port() {
    return port;
  }

  public Path dir() {
    return dir;
  }

  /** The guest's own known_hosts line file ("[127.0.0.1]:port ssh-ed25519 AAAA..."), written at start. */
  public Path knownHosts() {
    return dir.resolve("known_hosts");
  }

  public Path hostKeyPub() {
    return dir.resolve("ssh_host_ed25519_key.pub");
  }

  /** Where a path inside one of the guest's private folders (/etc/nginx/ssl, ...) lives on the host. */
  public Path hostPath(String guestPath) {
    return dir.resolve("fs").resolve(guestPath.substring(1));
  }

  /** SSH options reaching this guest as root with {@code identityFile}, pinned to its own known_hosts. */
  public Map<String, String> sshOptions(Path identityFile) {
    Map<String, String> options = new HashMap<>();
    options.put("address", "127.0.0.1");
    options.put("port", Integer.toString(port));
    options.put("user", "root");
    options.put("identityFile", identityFile.toString());
    options.put("knownHosts", knownHosts().toString());
    options.put("connectTimeout", "5s");
    options.put("commandTimeout", "20s");
    return options;
  }

  /**
   * Leaves the guest's trust stores as a new guest has them (no phoenix root in the system store, nothing in
   * Docker's certs.d or Traefik's folder): guests serve the whole run, and a later class expects them new.
   */
  public void resetTrust() {
    String fs = dir.resolve("fs").toString();
    String clear = "rm -rf '" + fs + "'/usr/local/share/ca-certificates/phoenix_ca*.crt '" + fs
        + "'/etc/traefik/ssl/* '" + fs + "'/etc/docker/certs.d/*";
    if (trustTemplate != null && Files.isDirectory(trustTemplate.resolve("etc/ssl/certs"))) {
      // the store every new guest starts from, copied in (update-ca-certificates costs ~12 s of CPU here)
      Commands.run(List.of("sh", "-c", clear + " && rm -rf '" + fs + "/etc/ssl/certs' && cp -a '"
          + trustTemplate.resolve("etc/ssl/certs") + "' '" + fs + "/etc/ssl/certs'"));
    } else {
      Commands.run(List.of("sh", "-c", clear));
      Commands.run(List.of("nsenter", "-t", Long.toString(sshd.pid()), "-m", "--", "sh", "-c",
          "update-ca-certificates >/dev/null 2>&1"));
    }
  }

  /** Logins sshd accepted so far: one per TCP connection that authenticated. */
  public long acceptedLogins() {
    try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
      return lines.filter(l -> l.contains("Accepted publickey")).count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** sshd restarted on the same dir: same host key and files, every open connection cut (a "reboot"). */
  public void restart() {
    stop();
    start();
  }

  /**
   * Kills (SIGKILL) the per-connection sshd processes, not the listener nor the commands they started: the
   * TCP connections drop as on a network failure while the commands see their stdin end.
   */
  public int killSessions() {
    int killed = 0;
    for (ProcessHandle p : processesInNamespace()) {
      // sshd retitles its per-connection processes ("sshd: root@notty", "sshd: root [priv]"); the listener
      // is the process we started.
      if (p.pid() != sshd.pid() && rawCommandLine(p).startsWith("sshd: ") && p.destroyForcibly()) {
        killed++;
      }
    }
    return killed;
  }

  /** Stops sshd by its PID, then everything else in the guest's namespace (stop-guest.sh). */
  public void stop() {
    if (sshd != null) {
      sshd.destroy();
      try {
        if (!sshd.waitFor(5, TimeUnit.SECONDS)) {
          sshd.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      sshd = null;
    }
    Commands.run(List.of(repoRoot.resolve("tools/guest/stop-guest.sh").toString(), dir.toString()));
  }

  private void start() {
    long readyBefore = countInLog("Server listening on 127.0.0.1 port " + port);
    try {
      Files.createDirectories(dir.getParent());
      ProcessBuilder builder = new ProcessBuilder(repoRoot.resolve("tools/guest/start-guest.sh").toString(),
          dir.toString(), Integer.toString(port), authorizedKeys.toString());
      builder.environment().put("GUEST_TRUST_TEMPLATE", trustTemplate.toString());
      sshd = builder
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start guest " + dir, e);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (countInLog("Server listening on 127.0.0.1 port " + port) <= readyBefore) {
      if (!sshd.isAlive() || System.nanoTime() > deadline) {
        String why = sshd.isAlive() ? "not ready after 30 s" : "exited with " + sshd.exitValue();
        stop();
        throw new IllegalStateException("guest " + dir + " on port " + port + " " + why + "; log:\n" + tail());
      }
      sleep(20);
    }
    privateHome();
  }

  /**
   * Gives the guest its own /root holding Debian's stock dotfiles. Otherwise every login would source this
   * machine's own ~/.bashrc (on the dev box it runs pyenv init, ~250 ms per command) and time the machine
   * instead of the transport. The bind mount is made inside the guest's private namespace only.
   */
  private void privateHome() {
    Path home = dir.resolveSibling(dir.getFileName() + ".home");
    try {
      Files.createDirectories(home);
      for (String dotfile : List.of(".bashrc", ".profile")) {
        Path skel = Path.of("/etc/skel", dotfile);
        if (Files.exists(skel) && !Files.exists(home.resolve(dotfile))) {
          Files.copy(skel, home.resolve(dotfile));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Commands.run(List.of("nsenter", "-t", Long.toString(sshd.pid()), "-m", "--", "mount", "--bind",
        home.toString(), "/root"));
  }

  private long countInLog(String text) {
    if (!Files.exists(log)) {
      return 0;
    }
    try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
      return lines.filter(l -> l.contains(text)).count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** /proc/PID/cmdline as the process set it (ProcessHandle.Info reports the executable's path instead). */
  private static String rawCommandLine(ProcessHandle p) {
    try {
      return Files.readString(Path.of("/proc", Long.toString(p.pid()), "cmdline"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private List<ProcessHandle> processesInNamespace() {
    List<ProcessHandle> out = new ArrayList<>();
    String ns;
    try {
      ns = Files.readString(dir.resolve("mntns")).strip();
    } catch (IOException e) {
      return out;
    }
    ProcessHandle.allProcesses().forEach(p -> {
      try {
        if (Files.readSymbolicLink(Path.of("/proc", Long.toString(p.pid()), "ns", "mnt")).toString().equals(ns)) {
          out.add(p);
        }
      } catch (IOException | UnsupportedOperationException ignored) {
        // the process ended meanwhile
      }
    });
    return out;
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "guest " + dir.getFileName() + " on 127.0.0.1:" + port;
  }
}
