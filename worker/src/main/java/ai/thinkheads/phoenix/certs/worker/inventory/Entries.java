package ai.thinkheads.phoenix.certs.worker.inventory;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.List;
import java.util.Map;

/**
 * The inventory file's shapes, bound by Jackson as written: strings where the value needs its own parsing
 * (durations, fractions, key names), so that a bad value is reported with its reason instead of a type error.
 * A plugin's options (the CA's, a host's or guest's transport's, a step's) are kept as written, flat beside the
 * entry's own keys or under {@code options:}: the plugin declares and checks them, not these shapes.
 */
final class Entries {

  private Entries() {}

  /**
   * {@code ca: {type: step-ca, url: ...}}: the issuer plugin's type and options; for a CA rotation also the CA
   * being retired ({@code previous:}) or the one to rotate to ({@code next:}), each a CA entry of its own.
   */
  record Ca(String type, Map<String, String> options, Ca previous, Ca next,
      @JsonAnySetter Map<String, String> flat) {}

  record Defaults(String key, String lifetime, String renewAt, String renewBefore) {}

  /** A Proxmox host, reached over ssh: the ssh transport's options. */
  record Host(String transport, Map<String, String> options, @JsonAnySetter Map<String, String> flat) {}

  /** A guest: who it is, what it trusts, and its transport's type and options ({@code via}, {@code address}...). */
  record Guest(Integer vmid, String name, String kind, String transport, List<String> trust,
      Map<String, String> options, @JsonAnySetter Map<String, String> flat) {}

  record Files(String cert, String key, String ca, String certMode, String keyMode, String owner) {}

  /**
   * A validate, reload or verify step. Keys other than type, argv and options are the step's options written
   * flat ({@code reload: {type: systemd, unit: nginx}}); {@code options: {unit: nginx}} says the same.
   */
  record Step(String type, List<String> argv, Map<String, String> options,
      @JsonAnySetter Map<String, String> flat) {}

  record Certificate(String name, String guest, String commonName, List<String> sans, String key,
      List<String> usage, String lifetime, String renewAt, String renewBefore, Files files, Step validate,
      Step reload, Step verify, List<String> after) {}

  /** {@code audit:}: how often and how wide the estate audit runs, and its sources beyond the defaults. */
  record Audit(String interval, Integer concurrency, String warnBefore, List<AuditSource> sources) {}

  /** An audit source: its plugin type and options, flat or under {@code options:}. */
  record AuditSource(String type, Map<String, String> options, @JsonAnySetter Map<String, String> flat) {}
}
