package ai.thinkheads.phoenix.certs.workflows.guest;

import java.time.Duration;
import java.util.List;

/**
 * What the worker's inventory says about onboarding one guest: its id ("lxc/101"), the trust stores that must
 * hold the root, and how long to wait for a guest that has just booted. Recorded in history for people; the
 * install and verify steps look the guest up again and refuse a store the inventory does not list.
 */
public record TrustPlan(String guestId, List<TrustTarget> stores, Duration waitLimit) {

  public static final Duration DEFAULT_WAIT = Duration.ofMinutes(5);

  public TrustPlan {
    stores = List.copyOf(stores);
    waitLimit = waitLimit == null ? DEFAULT_WAIT : waitLimit;
  }

  public String summary() {
    return "Trust root CA on " + guestId + " (" + String.join(", ", stores.stream().map(TrustTarget::describe)
        .toList()) + ")";
  }
}
