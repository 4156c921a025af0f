package ai.thinkheads.phoenix.certs.activities.trust;

import ai.thinkheads.phoenix.certs.activities.ActivityGuard;
import ai.thinkheads.phoenix.certs.activities.crypto.CertificateFacts;
import ai.thinkheads.phoenix.certs.activities.crypto.Pem;
import ai.thinkheads.phoenix.certs.activities.estate.Authority;
import ai.thinkheads.phoenix.certs.activities.estate.Estate;
import ai.thinkheads.phoenix.certs.activities.estate.Guest;
import ai.thinkheads.phoenix.certs.activities.plugin.PluginRegistry;
import ai.thinkheads.phoenix.certs.activities.transport.ExecResult;
import ai.thinkheads.phoenix.certs.activities.transport.FileAttributes;
import ai.thinkheads.phoenix.certs.activities.transport.Transport;
import ai.thinkheads.phoenix.certs.activities.transport.TransportException;
import ai.thinkheads.phoenix.certs.workflows.guest.GuestFacts;
import ai.thinkheads.phoenix.certs.workflows.guest.RootCertificate;
import ai.thinkheads.phoenix.certs.workflows.guest.TrustActivities;
import ai.thinkheads.phoenix.certs.workflows.guest.TrustChange;
import ai.thinkheads.phoenix.certs.workflows.guest.TrustPlan;
import ai.thinkheads.phoenix.certs.workflows.guest.TrustTarget;
import ai.thinkheads.phoenix.certs.workflows.failure.FailureType;
import ai.thinkheads.phoenix.certs.workflows.model.TargetSpec;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;

/**
 * Root CA distribution on real transports. Guests, their trust stores and the root come from the worker's own
 * inventory; nothing is rewritten or rebuilt when it already holds the root.
 */
public final class TrustActivitiesImpl implements TrustActivities {

  static final Duration PROBE_TIMEOUT = Duration.ofSeconds(15);
  static final Duration REBUILD_TIMEOUT = Duration.ofMinutes(2);
  /**
   * update-ca-certificates forks a few processes per certificate of the bundle: LXC guests share their node's
   * CPU, and twenty at once on one node ran past their timeout and were retried (CaRotationBenchmark).
   */
  static final int DEFAULT_REBUILDS = 4;
  /** One constant script: nothing from the inventory or an event is ever part of it. */
  static final String PROBE = "cat /etc/os-release 2>/dev/null; echo '#tools'; command -v curl || true; "
      + "command -v wget || true";
  /** curl: 35 TLS handshake, 51 peer name, 58/60 certificate problems; wget: 5 TLS verification failure. */
  static final List<Integer> CURL_TRUST_FAILURES = List.of(35, 51, 58, 60);

  private final Authority authority;
  private final PluginRegistry catalog;
  private final Semaphore rebuilds;

  public TrustActivitiesImpl(Authority authority, PluginRegistry catalog) {
    this(authority, catalog, rebuildsFromEnvironment());
  }

  /** {@code rebuilds}: how many trust store rebuilds this worker runs at once, on all guests together. */
  public TrustActivitiesImpl(Authority authority, PluginRegistry catalog, int rebuilds) {
    this.authority = authority;
    this.catalog = catalog;
    this.rebuilds = new Semaphore(rebuilds, true);
  }

  /** PHOENIX_TRUST_REBUILDS, default {@value #DEFAULT_REBUILDS}. */
  static int rebuildsFromEnvironment() {
    String value = System.getenv("PHOENIX_TRUST_REBUILDS");
    try {
      return value == null || value.isBlank() ? DEFAULT_REBUILDS : Math.max(1, Integer.parseInt(value.strip()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("PHOENIX_TRUST_REBUILDS: not a whole number: " + value, e);
    }
  }

  @Override
  public TrustPlan plan(String guest) {
    Guest listed = authority.guest(authority.estate(), guest);
    return new TrustPlan(listed.id(), listed.stores(), null);
  }

  @Override
  public GuestFacts probe(String guest) {
    Guest listed = authority.guest(authority.estate(), guest);
    return ActivityGuard.run(() -> facts(listed.target(), transport(listed.target())));
  }

  private static GuestFacts facts(TargetSpec target, Transport transport) {
    ExecResult result = transport.exec(List.of("sh", "-c", PROBE), PROBE_TIMEOUT);
    if (!result.succeeded()) {
      throw new TransportException(target.guestId() + " answers but cannot run sh: " + result.tail(), true);
    }
    String[] parts = result.stdout().split("#tools", 2);
    String tools = parts.length > 1 ? parts[1] : "";
    return new GuestFacts(OsRelease.family(parts[0]), tools.contains("/curl"), tools.contains("/wget"));
  }

  @Override
  public RootCertificate fetchRoot() {
    return root(authority.estate());
  }

  private static RootCertificate root(Estate estate) {
    X509Certificate root = estate.issuer().root();
    return new RootCertificate(Pem.encode(root), CertificateFacts.fingerprint(root));
  }

  @Override
  public TrustChange installRootCa(String guest, TrustTarget trust) {
    Estate estate = authority.estate();
    Guest listed = authority.guest(estate, guest);
    if (!listed.stores().contains(trust)) {
      throw FailureType.NOT_IN_INVENTORY.failure("trust store " + trust.describe() + " is not listed for "
          + listed.id() + " in this worker's inventory (" + estate.source() + "; listed: "
          + listed.stores().stream().map(TrustTarget::describe).toList() + ")");
    }
    TargetSpec target = listed.target();
    List<String> caHealthUrls = estate.caHealthUrls();
    return ActivityGuard.run(() -> {
      // every root the worker says must be trusted now (both during a CA rotation), and those it has retired
      List<RootCertificate> trusted = roots(estate.trustedRoots());
      List<RootCertificate> retired = roots(estate.retiredRoots());
      Transport transport = transport(target);
      // The guest's OS decides the store's tools; read here, not taken from the caller.
      GuestFacts facts = facts(target, transport);
      List<String> written = new ArrayList<>();
      List<String> paths = new ArrayList<>();
      boolean rebuilt = false;
      for (TrustStore store : TrustStore.all(trust, facts, caHealthUrls)) {
        paths.add(store.path());
        List<String> put = store.singleFile() ? putAll(transport, store, trusted)
            : putEach(transport, store, trusted, retired);
        boolean bundleRight = store.bundle() == null || bundleRight(transport, store.bundle(), trusted, retired);
        if (!put.isEmpty() || !bundleRight) {
          rebuilt |= rebuild(transport, target, store);
        }
        written.addAll(put);
      }
      return new TrustChange(trust.describe(), String.join(", ", written.isEmpty() ? paths : written),
          !written.isEmpty() || rebuilt);
    });
  }

  /** Runs the store's rebuild, if it has one, {@code rebuilds} at a time; true when it ran. */
  private boolean rebuild(Transport transport, TargetSpec target, TrustStore store) {
    if (store.rebuild() == null) {
      return false;
    }
    ExecResult rebuilt;
    try {
      rebuilds.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting to rebuild " + store.path(), e);
    }
    try {
      rebuilt = transport.exec(store.rebuild(), REBUILD_TIMEOUT);
    } finally {
      rebuilds.release();
    }
    if (!rebuilt.succeeded()) {
      throw FailureType.COMMAND_FAILED.failure("`" + String.join(" ", store.rebuild()) + "` on "
          + target.guestId() + " exited " + rebuilt.exitCode() + ": " + rebuilt.tail());
    }
    return true;
  }

  /**
   * A store that is a folder: each trusted root in a file of its own (the usual file when it is free, i.e. holds
   * no root that stays trusted), each retired root's file removed. Returns what it wrote or removed.
   */
  private static List<String> putEach(Transport transport, TrustStore store, List<RootCertificate> trusted,
      List<RootCertificate> retired) {
    List<String> changed = new ArrayList<>();
    for (RootCertificate root : retired) {
      String own = store.fileFor(root.fingerprint());
      if (transport.read(own).map(bytes -> samePem(bytes, root.pem())).orElse(false)) {
        transport.delete(own);
        changed.add("removed " + own);
      }
      if (transport.read(store.path()).map(bytes -> samePem(bytes, root.pem())).orElse(false)) {
        transport.delete(store.path());
        changed.add("removed " + store.path());
      }
    }
    for (RootCertificate root : trusted) {
      Optional<byte[]> usual = transport.read(store.path());
      String own = store.fileFor(root.fingerprint());
      if (usual.map(bytes -> samePem(bytes, root.pem())).orElse(false)
          || transport.read(own).map(bytes -> samePem(bytes, root.pem())).orElse(false)) {
        continue;
      }
      boolean usualFree = usual.isEmpty() || trusted.stream().noneMatch(t -> samePem(usual.get(), t.pem()));
      String path = usualFree ? store.path() : own;
      transport.write(path, root.pem().getBytes(StandardCharsets.US_ASCII), FileAttributes.mode("0644"));
      changed.add(path);
    }
    return changed;
  }

  /** A store that is one file: it holds exactly the trusted roots. */
  private static List<String> putAll(Transport transport, TrustStore store, List<RootCertificate> trusted) {
    String pem = String.join("", trusted.stream().map(RootCertificate::pem).toList());
    if (transport.read(store.path()).map(bytes -> samePem(bytes, pem)).orElse(false)) {
      return List.of();
    }
    transport.write(store.path(), pem.getBytes(StandardCharsets.US_ASCII), FileAttributes.mode("0644"));
    return List.of(store.path());
  }

  private static boolean bundleRight(Transport transport, String bundle, List<RootCertificate> trusted,
      List<RootCertificate> retired) {
    return trusted.stream().allMatch(root -> holds(transport, bundle, root))
        && retired.stream().noneMatch(root -> holds(transport, bundle, root));
  }

  private static List<RootCertificate> roots(List<X509Certificate> certificates) {
    return certificates.stream().map(c -> new RootCertificate(Pem.encode(c), CertificateFacts.fingerprint(c)))
        .distinct().toList();
  }

  @Override
  public String verifyTrust(String guest) {
    Estate estate = authority.estate();
    Guest listed = authority.guest(estate, guest);
    TargetSpec target = listed.target();
    List<TrustTarget> trust = listed.stores();
    String caHealthUrl = estate.caHealthUrl();
    return ActivityGuard.run(() -> {
      List<RootCertificate> trusted = roots(estate.trustedRoots());
      List<RootCertificate> retired = roots(estate.retiredRoots());
      Transport transport = transport(target);
      GuestFacts facts = facts(target, transport);
      List<String> proofs = new ArrayList<>();
      for (TrustStore store : trust.stream().flatMap(t -> TrustStore.all(t, facts, estate.caHealthUrls()).stream())
          .toList()) {
        for (RootCertificate root : trusted) {
          String where = store.bundle() != null || store.singleFile() ? (store.bundle() != null ? store.bundle()
              : store.path()) : holds(transport, store.path(), root) ? store.path() : store.fileFor(root.fingerprint());
          if (!holds(transport, where, root)) {
            throw FailureType.VERIFICATION_FAILED.failure(where + " on " + target.guestId()
                + " does not hold the root " + root.fingerprint());
          }
          proofs.add(where + " holds the root " + root.fingerprint().substring(0, 16));
        }
        for (RootCertificate root : retired) {
          List<String> places = store.bundle() != null ? List.of(store.bundle())
              : List.of(store.path(), store.fileFor(root.fingerprint()));
          for (String where : places) {
            if (holds(transport, where, root)) {
              throw FailureType.VERIFICATION_FAILED.failure(where + " on " + target.guestId()
                  + " still holds the retired root " + root.fingerprint());
            }
          }
          proofs.add((store.bundle() != null ? store.bundle() : store.path()) + " no longer holds the retired root "
              + root.fingerprint().substring(0, 16));
        }
      }
      boolean system = trust.stream().anyMatch(t -> TrustTarget.SYSTEM.equals(t.kind()));
      if (system && caHealthUrl != null && (facts.hasCurl() || facts.hasWget())) {
        proofs.add(tlsCall(transport, target, facts, caHealthUrl));
      }
      return String.join("; ", proofs);
    });
  }

  /** A TLS call from the guest to the CA, trusting only the guest's own system store. */
  private static String tlsCall(Transport transport, TargetSpec target, GuestFacts facts, String url) {
    List<String> argv = facts.hasCurl() ? List.of("curl", "-fsS", "--max-time", "10", "-o", "/dev/null", url)
        : List.of("wget", "-q", "-T", "10", "-O", "/dev/null", url);
    ExecResult result = transport.exec(argv, Duration.ofSeconds(20));
    if (result.succeeded()) {
      return argv.get(0) + " " + url + " from the guest succeeded";
    }
    boolean trustFailure = facts.hasCurl() ? CURL_TRUST_FAILURES.contains(result.exitCode()) : result.exitCode() == 5;
    String message = argv.get(0) + " " + url + " from " + target.guestId() + " exited " + result.exitCode() + ": "
        + result.tail();
    if (trustFailure) {
      throw FailureType.VERIFICATION_FAILED.failure(message);
    }
    throw new TransportException(message + " (the CA may be down; retrying)", true);
  }

  private static boolean holds(Transport transport, String path, RootCertificate root) {
    Optional<byte[]> content = transport.read(path);
    return content.isPresent() && squeeze(new String(content.get(), StandardCharsets.US_ASCII))
        .contains(body(root.pem()));
  }

  private static boolean samePem(byte[] content, String pem) {
    return squeeze(new String(content, StandardCharsets.US_ASCII)).equals(squeeze(pem));
  }

  /** The base64 body of a PEM certificate, whitespace removed: bundles re-wrap lines, never the content. */
  private static String body(String pem) {
    return squeeze(pem.replace("-----BEGIN CERTIFICATE-----", "").replace("-----END CERTIFICATE-----", ""));
  }

  private static String squeeze(String text) {
    return text.replaceAll("\\s", "");
  }

  private Transport transport(TargetSpec target) {
    return catalog.transport(target.transport()).open(target);
  }

}
