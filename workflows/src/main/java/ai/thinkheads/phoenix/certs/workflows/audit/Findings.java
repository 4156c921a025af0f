package ai.thinkheads.phoenix.certs.workflows.audit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The rules that turn measured facts into findings. Pure and deterministic (the workflow runs it with its own
 * clock), so a rule is tested with facts alone.
 */
public final class Findings {

  /** A CA or intermediate closer than this to its end is flagged: replacing a root takes planning. */
  public static final Duration CA_WARNING = Duration.ofDays(365);

  private Findings() {}

  public static List<Finding> of(AuditFacts facts, String pinnedFingerprint, Instant now, Duration warnBefore) {
    List<Finding> out = new ArrayList<>();
    for (Unreachable u : facts.unreachable()) {
      out.add(new Finding(Severity.CRITICAL, "unreachable", u.component(), u.source(),
          "could not read " + u.source() + " on " + u.component() + ": " + u.error()));
    }
    for (Check check : facts.checks()) {
      if (!check.ok()) {
        out.add(new Finding(Severity.CRITICAL, "check-failed", check.component(), check.what(),
            check.what() + ": " + check.detail()));
      }
    }
    for (TrustStoreFact store : facts.trustStores()) {
      if (store.listed() && !store.holdsRoot()) {
        out.add(new Finding(Severity.CRITICAL, "root-missing", store.guest(), store.store(),
            store.path() + " on " + store.guest() + " does not hold the pinned root " + shortFp(pinnedFingerprint)
                + "; the guest cannot verify the estate's certificates"));
      }
      if (!store.otherRoots().isEmpty()) {
        out.add(new Finding(Severity.INFO, "other-roots", store.guest(), store.store(),
            store.path() + " on " + store.guest() + " also trusts private roots: "
                + String.join(", ", store.otherRoots())));
      }
    }
    for (CertificateFact c : facts.certificates()) {
      certificate(c, pinnedFingerprint, now, warnBefore, out);
    }
    out.sort(Comparator.comparing(Finding::severity).reversed().thenComparing(Finding::component)
        .thenComparing(Finding::subject).thenComparing(Finding::code));
    return dedupe(out);
  }

  private static void certificate(CertificateFact c, String pin, Instant now, Duration warnBefore,
      List<Finding> out) {
    String at = c.component();
    String what = describe(c);
    boolean expired = c.notAfter() != null && !now.isBefore(c.notAfter());
    if (expired) {
      out.add(new Finding(Severity.CRITICAL, "expired", at, c.name(), what + " expired at " + c.notAfter()));
    }
    if (c.kind() == CertificateKind.ROOT && pin != null && c.fingerprint() != null
        && !pin.equalsIgnoreCase(c.fingerprint())) {
      out.add(new Finding(Severity.CRITICAL, "untrusted-chain", at, c.name(), what + " has fingerprint "
          + c.fingerprint() + ", not the pinned " + pin));
    }
    if ((c.kind() == CertificateKind.ROOT || c.kind() == CertificateKind.INTERMEDIATE) && !expired
        && c.notAfter() != null && Duration.between(now, c.notAfter()).compareTo(CA_WARNING) < 0) {
      out.add(new Finding(Severity.WARNING, "ca-expiring", at, c.name(), what + " expires at " + c.notAfter()
          + ", within a year: plan its replacement (every certificate under it goes with it)"));
    }
    if (c.kind() != CertificateKind.ROOT && c.chain() != null && c.chain() != ChainStatus.PINNED_ROOT) {
      Severity severity = c.kind() == CertificateKind.FILE || c.kind() == CertificateKind.DISCOVERED ? Severity.WARNING
          : Severity.CRITICAL;
      out.add(new Finding(severity, "untrusted-chain", at, c.name(), what + " does not chain to the pinned root: "
          + c.chain().text() + (c.chainDetail() == null ? "" : " (" + c.chainDetail() + ")")));
    }
    if (Boolean.FALSE.equals(c.keyMatches())) {
      out.add(new Finding(Severity.CRITICAL, "key-mismatch", at, c.name(), what
          + ": the key beside it does not match the certificate"));
    }
    String sanProblem = sanProblem(c);
    if (sanProblem != null) {
      out.add(new Finding(Severity.CRITICAL, "san-mismatch", at, c.name(), what + ": " + sanProblem));
    }
    String weak = weakness(c);
    if (weak != null) {
      out.add(new Finding(Severity.WARNING, "weak-crypto", at, c.name(), what + ": " + weak));
    }
    if (c.servedSerial() != null && c.serial() != null && !c.servedSerial().equalsIgnoreCase(c.serial())) {
      out.add(new Finding(Severity.WARNING, "served-differs", at, c.name(), what + ": the deployed serial is "
          + c.serial() + " but " + c.servedSerial() + " is served (the service was not reloaded?)"));
    }
    if (!expired) {
      renewal(c, what, now, warnBefore, out);
    }
    if (c.kind() == CertificateKind.FILE && c.managedBy() == null) {
      out.add(new Finding(Severity.INFO, "unmanaged", at, c.name(), what
          + " is on disk and nothing in the inventory manages it (left by an old setup script?)"));
    }
    if (c.kind() == CertificateKind.DISCOVERED && c.managedBy() == null) {
      out.add(new Finding(Severity.INFO, "unmanaged", at, c.name(), what
          + " serves a certificate nothing in the inventory manages"));
    }
  }

  private static void renewal(CertificateFact c, String what, Instant now, Duration warnBefore,
      List<Finding> out) {
    if (c.notAfter() == null || c.notBefore() == null || c.kind() == CertificateKind.ROOT
        || c.kind() == CertificateKind.INTERMEDIATE || c.kind() == CertificateKind.ENDPOINT
        || (c.kind() == CertificateKind.DISCOVERED && c.managedBy() != null)) {
      return; // an endpoint's renewal is judged where its certificate lives (managed, acme.json, files)
    }
    Duration lifetime = Duration.between(c.notBefore(), c.notAfter());
    Duration left = Duration.between(now, c.notAfter());
    if (c.kind() == CertificateKind.MANAGED) {
      if (Boolean.FALSE.equals(c.renewing())) {
        boolean due = c.renewAfter() != null && now.isAfter(c.renewAfter());
        out.add(new Finding(due ? Severity.CRITICAL : Severity.WARNING, "renewal-due", c.component(), c.name(),
            what + (due ? " is past its renewal point " + c.renewAfter() + " and " : ": ") + c.managedBy()
                + " is not running, so nothing renews it"));
      }
      return;
    }
    if (c.managedBy() == null) {
      boolean inWindow = left.compareTo(warnBefore) < 0 || left.multipliedBy(3).compareTo(lifetime) < 0;
      if (inWindow && c.kind() != CertificateKind.CA_TLS) {
        out.add(new Finding(Severity.WARNING, "renewal-due", c.component(), c.name(), what + " expires at "
            + c.notAfter() + ", inside its renewal window, and nothing in the inventory renews it"));
      }
      return;
    }
    // Renewed by someone else (Traefik renews in the last third): a quarter of the lifetime left means it did not.
    if (left.multipliedBy(4).compareTo(lifetime) < 0) {
      out.add(new Finding(Severity.WARNING, "renewal-due", c.component(), c.name(), what + " expires at "
          + c.notAfter() + " and " + c.managedBy() + " has not renewed it"));
    }
  }

  static String sanProblem(CertificateFact c) {
    if (c.expectedSans() == null || c.expectedSans().isEmpty()) {
      return null;
    }
    if (c.kind() == CertificateKind.MANAGED) {
      Set<String> want = lower(c.expectedSans());
      Set<String> have = lower(c.sans());
      return want.equals(have) ? null : "its names " + c.sans() + " are not the inventory's " + c.expectedSans();
    }
    List<String> uncovered = c.expectedSans().stream().filter(name -> !covers(c.sans(), name)).toList();
    return uncovered.isEmpty() ? null : "it does not cover " + uncovered + " (it names " + c.sans() + ")";
  }

  /** Whether {@code sans} covers {@code name}: exactly, or by a wildcard one label deep. */
  public static boolean covers(List<String> sans, String name) {
    String n = name.toLowerCase(Locale.ROOT);
    for (String san : sans) {
      String s = san.toLowerCase(Locale.ROOT);
      if (s.equals(n)) {
        return true;
      }
      if (s.startsWith("*.") && n.indexOf('.') > 0 && n.substring(n.indexOf('.')).equals(s.substring(1))) {
        return true;
      }
    }
    return false;
  }

  static String weakness(CertificateFact c) {
    List<String> weak = new ArrayList<>();
    String key = c.key() == null ? "" : c.key();
    if (key.startsWith("RSA") && c.keyBits() > 0 && c.keyBits() < 2048) {
      weak.add("RSA key of " + c.keyBits() + " bits (< 2048)");
    }
    if (key.startsWith("EC") && c.keyBits() > 0 && c.keyBits() < 224) {
      weak.add("EC key on a " + c.keyBits() + "-bit curve (P-192 or weaker)");
    }
    String sig = c.signature() == null ? "" : c.signature().toUpperCase(Locale.ROOT);
    if (c.kind() != CertificateKind.ROOT && (sig.contains("SHA1") || sig.contains("MD5"))) {
      weak.add("signed with " + c.signature());
    }
    return weak.isEmpty() ? null : String.join("; ", weak);
  }

  private static Set<String> lower(List<String> names) {
    Set<String> out = new HashSet<>();
    names.forEach(n -> out.add(n.toLowerCase(Locale.ROOT)));
    return out;
  }

  static String describe(CertificateFact c) {
    return switch (c.kind()) {
      case MANAGED -> "certificate " + c.name() + " (" + c.location() + " on " + c.component() + ")";
      case ACME -> "Traefik certificate " + c.name() + " (" + c.location() + " on " + c.component() + ")";
      case ENDPOINT -> "the certificate served at " + c.location();
      case FILE -> "certificate file " + c.location() + " on " + c.component();
      case DISCOVERED -> "the certificate listening " + c.name() + " on " + c.component() + " (" + c.location()
          + ") serves";
      case ROOT -> "the CA's root";
      case INTERMEDIATE -> "the CA's intermediate";
      case CA_TLS -> "the CA's own TLS certificate";
    };
  }

  private static String shortFp(String fp) {
    return fp == null ? "(none pinned)" : fp.length() > 16 ? fp.substring(0, 16) + "..." : fp;
  }

  private static List<Finding> dedupe(List<Finding> findings) {
    Set<String> seen = new HashSet<>();
    return findings.stream().filter(f -> seen.add(f.key())).toList();
  }
}
