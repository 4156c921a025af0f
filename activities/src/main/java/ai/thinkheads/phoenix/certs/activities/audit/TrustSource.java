package ai.thinkheads.phoenix.certs.activities.audit;

import ai.thinkheads.phoenix.certs.activities.crypto.CertificateFacts;
import ai.thinkheads.phoenix.certs.activities.plugin.Settings;
import ai.thinkheads.phoenix.certs.activities.transport.ExecResult;
import ai.thinkheads.phoenix.certs.activities.transport.Transport;
import ai.thinkheads.phoenix.certs.activities.trust.TrustStore;
import ai.thinkheads.phoenix.certs.workflows.audit.TrustStoreFact;
import ai.thinkheads.phoenix.certs.workflows.guest.GuestFacts;
import ai.thinkheads.phoenix.certs.workflows.guest.TrustTarget;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Each guest's trust stores ({@code type: trust}, a default source): the system bundle, Docker's {@code certs.d},
 * Traefik's ssl directory, or a listed path. For each: does it hold the pinned root, and which other private
 * roots does it hold (certificates an operator added, not the distribution's public bundle). The stores the
 * inventory lists for the guest must hold the root; the others are reported when they exist. Everything is read
 * in one remote call (a fixed script, the paths as its arguments): a guest costs one round trip, not one per file.
 */
public final class TrustSource implements AuditSource {

  public static final String TYPE = "trust";

  static final String RHEL_ANCHORS = "/etc/pki/ca-trust/source/anchors";

  /**
   * For each argument: a directory gives "D\t<dir>" then "F\t<file>\t<base64>" for each certificate-looking file
   * under it (3 levels, sorted); a file gives its "F" line; anything else nothing.
   */
  static final String READ_ALL = """
      for p in "$@"; do
        if [ -d "$p" ]; then
          printf 'D\\t%s\\n' "$p"
          find "$p" -maxdepth 3 -type f \\( -name '*.crt' -o -name '*.pem' -o -name '*.cer' \\) | sort |
          while IFS= read -r f; do printf 'F\\t%s\\t' "$f"; base64 -w0 < "$f"; echo; done
        elif [ -f "$p" ]; then
          printf 'F\\t%s\\t' "$p"; base64 -w0 < "$p"; echo
        fi
      done
      """;

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public boolean perGuest() {
    return true;
  }

  @Override
  public void gather(Settings settings, AuditScope scope, FactSink facts) throws Exception {
    Transport transport = scope.transport();
    X509Certificate root = scope.pinnedRoot();
    String pin = CertificateFacts.fingerprint(root);
    List<TrustTarget> listed = scope.guest().stores();
    Set<TrustTarget> all = new LinkedHashSet<>(listed);
    all.add(new TrustTarget(TrustTarget.SYSTEM, null));
    all.add(new TrustTarget(TrustTarget.DOCKER, null));
    all.add(new TrustTarget(TrustTarget.TRAEFIK, null));
    String caHealthUrl = scope.estate().caHealthUrl();
    // what either family could use, and each listed path: read at once
    Set<String> paths = new LinkedHashSet<>(List.of(RHEL_ANCHORS));
    for (String family : List.of("rhel", "debian")) {
      GuestFacts os = new GuestFacts(family, false, false);
      for (TrustTarget target : all) {
        TrustStore store = TrustStore.of(target, os, caHealthUrl);
        String dir = dir(target, store);
        paths.add(dir == null ? store.path() : dir);
        if (store.bundle() != null) {
          paths.add(store.bundle());
        }
      }
    }
    Snapshot read = Snapshot.read(transport, paths);
    GuestFacts os = new GuestFacts(read.dirs().containsKey(RHEL_ANCHORS) ? "rhel" : "debian", false, false);
    for (TrustTarget target : all) {
      TrustStore store = TrustStore.of(target, os, caHealthUrl);
      boolean isListed = listed.contains(target);
      String dir = dir(target, store);
      List<String> files = dir == null ? List.of(store.path()) : read.dirs().getOrDefault(dir, List.of());
      String where = store.bundle() != null ? store.bundle() : store.path();
      boolean holds = holds(read, where, pin) || (store.bundle() == null && files.stream()
          .anyMatch(f -> holds(read, f, pin)));
      if (!isListed && files.isEmpty()) {
        continue; // a store the guest does not use
      }
      List<String> others = new ArrayList<>();
      for (String file : files) {
        for (X509Certificate c : read.certificates(file)) {
          if (!CertificateFacts.fingerprint(c).equalsIgnoreCase(pin) && c.getBasicConstraints() >= 0) {
            others.add(Measure.rootLabel(c) + " in " + file);
          }
        }
      }
      facts.add(new TrustStoreFact(scope.guest().id(), target.describe(), where, isListed, holds, others));
    }
  }

  private static String dir(TrustTarget target, TrustStore store) {
    return switch (target.kind()) {
      case TrustTarget.SYSTEM -> parent(store.path());
      case TrustTarget.DOCKER -> "/etc/docker/certs.d";
      case TrustTarget.TRAEFIK -> parent(store.path());
      default -> null;
    };
  }

  private static boolean holds(Snapshot read, String path, String pin) {
    return read.certificates(path).stream().anyMatch(c -> CertificateFacts.fingerprint(c).equalsIgnoreCase(pin));
  }

  private static String parent(String path) {
    return path.substring(0, path.lastIndexOf('/'));
  }

  /** What one remote call read: each existing directory's certificate files, and each file's content. */
  record Snapshot(Map<String, List<String>> dirs, Map<String, byte[]> files) {

    static Snapshot read(Transport transport, Set<String> paths) {
      List<String> argv = new ArrayList<>(List.of("sh", "-c", READ_ALL, "phoenix-trust-read"));
      argv.addAll(paths);
      ExecResult result = transport.exec(argv, GuestFiles.TIMEOUT);
      if (!result.succeeded()) {
        throw new IllegalStateException("reading the trust stores failed (exit " + result.exitCode() + "): "
            + result.stderr().strip());
      }
      Map<String, List<String>> dirs = new LinkedHashMap<>();
      Map<String, byte[]> files = new LinkedHashMap<>();
      List<String> current = null;
      for (String line : result.stdout().split("\n")) {
        String[] parts = line.split("\t", 3);
        if (parts.length == 2 && "D".equals(parts[0])) {
          current = new ArrayList<>();
          dirs.put(parts[1], current);
        } else if (parts.length == 3 && "F".equals(parts[0])) {
          files.put(parts[1], Base64.getMimeDecoder().decode(parts[2].strip()));
          if (current != null && parts[1].startsWith(lastDir(dirs) + "/")) {
            current.add(parts[1]);
          }
        }
      }
      return new Snapshot(dirs, files);
    }

    private static String lastDir(Map<String, List<String>> dirs) {
      String last = null;
      for (String d : dirs.keySet()) {
        last = d;
      }
      return last;
    }

    List<X509Certificate> certificates(String path) {
      byte[] content = files.get(path);
      return content == null ? List.of() : Measure.certificates(content);
    }
  }
}
