package ai.thinkheads.phoenix.certs.worker.security;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Inputs as phoenix-certs took them before they carried names only, as a forger or an old history has them. */
final class OldInputs {

  private OldInputs() {}

  /** The input cert/<name> took before inputs carried names only: the whole spec, a command among it. */
  static Map<String, Object> certificate(Map<String, Object> target, Path files, Path marker) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("name", "evil");
    spec.put("target", target);
    spec.put("issuer", "local");
    spec.put("commonName", "evil.example");
    spec.put("sans", List.of("evil.example"));
    spec.put("key", "ECDSA_P256");
    spec.put("usages", List.of("SERVER"));
    spec.put("lifetime", "PT1H");
    spec.put("renewAt", 0.5);
    spec.put("files", Map.of("cert", files.resolve("evil.crt").toString(), "key",
        files.resolve("evil.key").toString()));
    spec.put("validate", Map.of("type", "command", "argv", List.of("touch", marker.toString()), "options", Map.of()));
    spec.put("reload", Map.of("type", "command", "argv", List.of("touch", marker.toString()), "options", Map.of()));
    spec.put("verify", Map.of("type", "none", "argv", List.of(), "options", Map.of()));
    spec.put("after", List.of());
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("spec", spec);
    input.put("status", null);
    input.put("renewRequested", true);
    return input;
  }
}
