package ai.thinkheads.phoenix.certs.worker.inventory;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.List;
import java.util.Map;

/**
 * The inventory file's shapes, bound by Jackson as written: strings where the value needs its own parsing
 * (durations, fractions, key names), so that a bad value is reported with its reason instead of a type error.
 */
final class Entries {

  private Entries() {}

  record Ca(String type, String name, String dataDir, String url, String fingerprint, String provisioner,
      String passwordFile, String stepPath) {}

  record Defaults(String key, String lifetime, String renewAt, String renewBefore) {}

  record Host(String transport, String address, Integer port, String user, String identityFile,
      String passphraseFile, String knownHosts, Boolean trustOnFirstUse) {}

  record Guest(Integer vmid, String name, String kind, String transport, String via, String address, Integer port,
      String user, String identityFile, String passphraseFile, String knownHosts, Boolean trustOnFirstUse,
      List<String> trust) {}

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
}
