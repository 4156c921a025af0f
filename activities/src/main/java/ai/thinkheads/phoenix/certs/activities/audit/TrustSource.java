package ai.thinkheads.phoenix.certs.activities.audit;

import ai.thinkheads.phoenix.certs.activities.crypto.CertificateFacts;
import ai.thinkheads.phoenix.certs.activities.plugin.Settings;
import ai.thinkheads.phoenix.certs.activities.transport.Transport;
import ai.thinkheads.phoenix.certs.activities.trust.TrustStore;
import ai.thinkheads.phoenix.certs.workflows.audit.TrustStoreFact;
import ai.thinkheads.phoenix.certs.workflows.guest.GuestFacts;
import ai.thinkheads.phoenix.certs.workflows.guest.TrustTarget;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Each guest's trust stores ({@code type: trust}, a default source): the system bundle, Docker's {@code certs.d},
 * Traefik's ssl directory, or a listed path. For each: does it hold the pinned root, and which other private
 * roots does it hold (certificates an operator added, not the distribution's public bundle). The stores the
 * inventory lists for the guest must hold the root; the others are reported when they exist.
 */
public final class TrustSource implements AuditSource {

  public static final String TYPE = "trust";

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
    boolean rhel = transport.exists("/etc/pki/ca-trust/source/anchors");
    GuestFacts os = new GuestFacts(rhel ? "rhel" : "debian", false, false);
    List<TrustTarget> listed = scope.guest().stores();
    Set<TrustTarget> all = new LinkedHashSet<>(listed);
    all.add(new TrustTarget(TrustTarget.SYSTEM, null));
    all.add(new TrustTarget(TrustTarget.DOCKER, null));
    all.add(new TrustTarget(TrustTarget.TRAEFIK, null));
    for (TrustTarget target : all) {
      TrustStore store = TrustStore.of(target, os, scope.estate().caHealthUrl());
      boolean isListed = listed.contains(target);
      String dir = switch (target.kind()) {
        case TrustTarget.SYSTEM -> parent(store.path());
        case TrustTarget.DOCKER -> "/etc/docker/certs.d";
        case TrustTarget.TRAEFIK -> parent(store.path());
        default -> null;
      };
      List<String> files = dir == null ? List.of(store.path()) : GuestFiles.under(transport, dir);
      String where = store.bundle() != null ? store.bundle() : store.path();
      boolean holds = holds(transport, where, pin) || (store.bundle() == null && files.stream()
          .anyMatch(f -> holds(transport, f, pin)));
      if (!isListed && files.isEmpty()) {
        continue; // a store the guest does not use
      }
      List<String> others = new ArrayList<>();
      for (String file : files) {
        for (X509Certificate c : transport.read(file).map(Measure::certificates).orElse(List.of())) {
          if (!CertificateFacts.fingerprint(c).equalsIgnoreCase(pin) && c.getBasicConstraints() >= 0) {
            others.add(Measure.rootLabel(c) + " in " + file);
          }
        }
      }
      facts.add(new TrustStoreFact(scope.guest().id(), target.describe(), where, isListed, holds, others));
    }
  }

  private static boolean holds(Transport transport, String path, String pin) {
    Optional<byte[]> content = transport.read(path);
    return content.isPresent() && Measure.certificates(content.get()).stream()
        .anyMatch(c -> CertificateFacts.fingerprint(c).equalsIgnoreCase(pin));
  }

  private static String parent(String path) {
    return path.substring(0, path.lastIndexOf('/'));
  }
}
