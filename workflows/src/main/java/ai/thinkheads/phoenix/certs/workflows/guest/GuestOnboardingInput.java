package ai.thinkheads.phoenix.certs.workflows.guest;

import ai.thinkheads.phoenix.certs.workflows.model.TargetSpec;
import java.time.Duration;
import java.util.List;

/**
 * What onboarding a guest needs: how to reach it, which trust stores must hold the root, the CA's health URL to
 * prove trust with a real TLS call (null: none), and how long to wait for a guest that has just booted.
 */
public record GuestOnboardingInput(
    TargetSpec target, List<TrustTarget> trust, String caHealthUrl, Duration waitLimit, String reason) {

  public static final Duration DEFAULT_WAIT = Duration.ofMinutes(5);

  public GuestOnboardingInput {
    trust = trust == null ? List.of(new TrustTarget(TrustTarget.SYSTEM, null)) : List.copyOf(trust);
    waitLimit = waitLimit == null ? DEFAULT_WAIT : waitLimit;
  }

  /** {@code guest/<vmid>} for containers and VMs, {@code guest/<name>} otherwise: "lxc/101" gives "guest/101". */
  public String workflowId() {
    return workflowIdFor(target.guestId());
  }

  public static String workflowIdFor(String guestId) {
    return "guest/" + guestId.substring(guestId.indexOf('/') + 1);
  }

  public String summary() {
    return "Trust root CA on " + target.guestId() + " (" + String.join(", ", trust.stream().map(TrustTarget::describe)
        .toList()) + ")";
  }
}
