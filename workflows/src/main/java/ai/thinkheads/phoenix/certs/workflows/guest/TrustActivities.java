package ai.thinkheads.phoenix.certs.workflows.guest;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The steps that make a guest trust the root CA; each is idempotent and leaves a store it finds right untouched.
 * {@code guest} is the vmid or name the inventory lists the guest by; each step looks it up in the worker's own
 * inventory and refuses a guest it does not list, or a call from any workflow but {@code guest/<vmid or name>}.
 */
@ActivityInterface
public interface TrustActivities {

  /** What the inventory says about onboarding the guest. Touches nothing. */
  @ActivityMethod
  TrustPlan plan(String guest);

  /** Reaches the guest (retried while it boots) and reads its OS family and tools. */
  @ActivityMethod
  GuestFacts probe(String guest);

  /** The root every certificate chains to, as the issuer pinned it (public: shown in the history). */
  @ActivityMethod
  RootCertificate fetchRoot();

  /** Puts the root into one of the guest's listed trust stores and rebuilds that store when it changed. */
  @ActivityMethod
  TrustChange installRootCa(String guest, TrustTarget store);

  /** Proves the guest trusts the root: its bundles hold it, and a TLS call to the CA succeeds where possible. */
  @ActivityMethod
  String verifyTrust(String guest);
}
