package ai.thinkheads.phoenix.certs.workflows.model;

import java.util.Map;

/**
 * Where a certificate lives: the transport {@code type} that reaches the guest, the guest's readable id
 * ("lxc/101", "local") and the transport's options (address, port, user, paths of key files; never key
 * material, since this record is stored in history).
 */
public record TargetSpec(String transport, String guestId, Map<String, String> options) {

  public TargetSpec {
    options = options == null ? Map.of() : Map.copyOf(options);
  }

  public String option(String key) {
    return options.get(key);
  }
}
