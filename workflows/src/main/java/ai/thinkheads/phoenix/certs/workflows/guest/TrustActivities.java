package ai.thinkheads.phoenix.certs.workflows.guest;

import ai.thinkheads.phoenix.certs.workflows.model.TargetSpec;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** The steps that make a guest trust the root CA; each is idempotent and leaves a store it finds right untouched. */
@ActivityInterface
public interface TrustActivities {

  /** Reaches the guest (retried while it boots) and reads its OS family and tools. */
  @ActivityMethod
  GuestFacts probe(TargetSpec target);

  /** The root every certificate chains to, as the issuer pinned it. */
  @ActivityMethod
  RootCertificate fetchRoot();

  /** Puts the root into one trust store and rebuilds that store when it changed. */
  @ActivityMethod
  TrustChange installRootCa(TargetSpec target, TrustTarget trust, RootCertificate root, GuestFacts facts,
      String caHealthUrl);

  /** Proves the guest trusts the root: its bundle holds it, and a TLS call to the CA succeeds where possible. */
  @ActivityMethod
  String verifyTrust(TargetSpec target, java.util.List<TrustTarget> trust, RootCertificate root, GuestFacts facts,
      String caHealthUrl);
}
