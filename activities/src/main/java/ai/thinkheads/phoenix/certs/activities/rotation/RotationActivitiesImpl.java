package ai.thinkheads.phoenix.certs.activities.rotation;

import ai.thinkheads.phoenix.certs.activities.ActivityGuard;
import ai.thinkheads.phoenix.certs.activities.crypto.CertificateFacts;
import ai.thinkheads.phoenix.certs.activities.crypto.Pem;
import ai.thinkheads.phoenix.certs.activities.estate.Authority;
import ai.thinkheads.phoenix.certs.activities.estate.CaPair;
import ai.thinkheads.phoenix.certs.activities.estate.Estate;
import ai.thinkheads.phoenix.certs.activities.estate.Guest;
import ai.thinkheads.phoenix.certs.activities.plugin.PluginRegistry;
import ai.thinkheads.phoenix.certs.activities.steps.StepContext;
import ai.thinkheads.phoenix.certs.activities.steps.StepFailedException;
import ai.thinkheads.phoenix.certs.activities.steps.TlsVerifier;
import ai.thinkheads.phoenix.certs.activities.transport.Transport;
import ai.thinkheads.phoenix.certs.activities.transport.TransportException;
import ai.thinkheads.phoenix.certs.workflows.failure.FailureType;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;
import ai.thinkheads.phoenix.certs.workflows.rotation.ChainCheck;
import ai.thinkheads.phoenix.certs.workflows.rotation.RotationActivities;
import ai.thinkheads.phoenix.certs.workflows.rotation.RotationPlan;
import ai.thinkheads.phoenix.certs.workflows.rotation.RotationTarget;
import ai.thinkheads.phoenix.certs.workflows.rotation.RotationWorkflow;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The rotation's reads: its plan and each certificate's chain, from the worker's inventory only; for
 * {@code ca/rotation} only. Nothing here writes: trust stores change through onboarding, certificates through
 * their own cycle.
 */
public final class RotationActivitiesImpl implements RotationActivities {

  private final Authority authority;
  private final PluginRegistry catalog;

  public RotationActivitiesImpl(Authority authority, PluginRegistry catalog) {
    this.authority = authority;
    this.catalog = catalog;
  }

  @Override
  public RotationPlan planRotation(RotationTarget to) {
    Authority.requireCaller(RotationWorkflow.WORKFLOW_ID, "the CA rotation");
    Estate estate = authority.estate();
    CaPair pair = pair(estate, to);
    return ActivityGuard.run(() -> new RotationPlan(pair.fromId(), pair.toId(),
        CertificateFacts.fingerprint(pair.from().root()), CertificateFacts.fingerprint(pair.to().root()),
        estate.guests().stream().map(Guest::ref).toList(),
        estate.certificates().stream().map(CertificateSpec::name).toList()));
  }

  @Override
  public ChainCheck checkChain(String name, boolean retired) {
    Authority.requireCaller(RotationWorkflow.WORKFLOW_ID, "certificate " + name + "'s chain");
    Estate estate = authority.estate();
    CertificateSpec spec = estate.certificate(name).orElseThrow(() -> FailureType.NOT_IN_INVENTORY.failure(
        "certificate " + name + " is not in this worker's inventory (" + estate.source() + ")"));
    CaPair pair = estate.caPair().orElseThrow(() -> FailureType.INVALID_INVENTORY.failure(
        "this worker's inventory (" + estate.source() + ") names no CA rotation (ca.previous or ca.next)"));
    return ActivityGuard.run(() -> {
      Transport transport = catalog.transport(spec.target().transport()).open(spec.target());
      Optional<byte[]> live = transport.read(spec.files().cert());
      if (live.isEmpty()) {
        return new ChainCheck(name, null, false, "no certificate at " + spec.files().cert() + " on "
            + transport.describe());
      }
      List<X509Certificate> chain;
      try {
        chain = Pem.certificates(new String(live.get(), StandardCharsets.US_ASCII));
      } catch (Pem.InvalidPemException e) {
        return new ChainCheck(name, null, false, spec.files().cert() + " is unreadable: " + e.getMessage());
      }
      String serial = CertificateFacts.serialOf(chain.get(0));
      X509Certificate newRoot = pair.to().root();
      String problem = chainProblem(chain, newRoot);
      if (problem != null) {
        return new ChainCheck(name, serial, false, "serial " + serial + " does not chain to the new root: " + problem);
      }
      if (retired && pair.rootChanges() && chainProblem(chain, pair.from().root()) == null) {
        return new ChainCheck(name, serial, false, "serial " + serial + " still chains to the old root");
      }
      String served = "live serial " + serial + " chains to the new root";
      if (TlsVerifier.TYPE.equals(spec.verify().type())) {
        try {
          // the certificate's own tls verify, judged against the new root only
          served = catalog.verifier(TlsVerifier.TYPE).verify(new StepContext("verify", spec.verify(), spec,
              transport, () -> newRoot), serial);
        } catch (StepFailedException | TransportException e) {
          return new ChainCheck(name, serial, false, e.getMessage());
        }
      }
      return new ChainCheck(name, serial, true, served);
    });
  }

  @Override
  public boolean stillListed(String fromCa, String toCa) {
    Authority.requireCaller(RotationWorkflow.WORKFLOW_ID, "the CA rotation");
    return authority.estate().caPair().map(p -> p.fromId().equals(fromCa) && p.toId().equals(toCa)).orElse(false);
  }

  private static CaPair pair(Estate estate, RotationTarget to) {
    CaPair pair = estate.caPair().orElseThrow(() -> FailureType.INVALID_INVENTORY.failure("this worker's "
        + "inventory (" + estate.source() + ") names no CA to rotate to: add ca.next (then `ca rotate --to next`) "
        + "or make ca: the new CA and list the old one as ca.previous (then `ca rotate --to current`)"));
    if (pair.target() != to) {
      throw FailureType.INVALID_INVENTORY.failure("a rotation to " + to.name().toLowerCase() + " was asked, but "
          + "this worker's inventory (" + estate.source() + ") lists "
          + (pair.target() == RotationTarget.NEXT ? "ca.next: use --to next" : "ca.previous: use --to current"));
    }
    return pair;
  }

  /** Null when {@code chain} (leaf first; a root in it is skipped) leads to {@code root}; else why not. */
  static String chainProblem(List<X509Certificate> chain, X509Certificate root) {
    List<X509Certificate> path = new ArrayList<>();
    for (X509Certificate certificate : chain) {
      if (!certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
        path.add(certificate);
      }
    }
    try {
      PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
      parameters.setRevocationEnabled(false);
      CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(path),
          parameters);
      return null;
    } catch (GeneralSecurityException e) {
      return e.getMessage();
    }
  }
}
