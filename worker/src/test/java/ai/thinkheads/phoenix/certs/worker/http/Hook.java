package ai.thinkheads.phoenix.certs.worker.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the hookscript as Proxmox does: {@code bash phoenix-certs-hook <vmid> <phase>}, arguments passed as they
 * are (no shell in between), configured through the environment.
 */
final class Hook {

  static final Path SCRIPT = Path.of("..", "starter", "hookscripts", "phoenix-certs-hook").toAbsolutePath()
      .normalize();

  record Result(int exit, String out, String err, long millis) {}

  final Map<String, String> env = new HashMap<>();

  Hook(Path dir, int port, Path spool) {
    env.put("PHOENIX_HOOK_CONF", dir.resolve("hook.conf").toString());
    env.put("PHOENIX_URL", "http://127.0.0.1:" + port);
    env.put("PHOENIX_TOKEN_FILE", dir.resolve("events.token").toString());
    env.put("PHOENIX_SPOOL_DIR", spool.toString());
    env.put("PHOENIX_PVE_DIR", dir.resolve("pve").toString());
    env.put("HOSTNAME", "pve-test");
  }

  Process start(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(key -> key.startsWith("PHOENIX_"));
    builder.environment().putAll(env);
    return builder.start();
  }

  Result run(String... args) throws IOException, InterruptedException {
    long started = System.nanoTime();
    Process process = start(args);
    process.getOutputStream().close();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the hookscript did not end within 20 s");
    }
    long millis = (System.nanoTime() - started) / 1_000_000;
    return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
        new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8), millis);
  }
}
