package ai.thinkheads.phoenix.certs.workflows.certificate;

import java.time.Instant;

/**
 * Where a certificate's workflow is in its cycle, for the certificates that come after it: {@code idle} while it
 * waits for its next renewal point (no step of a renewal under way), {@code renewalPending} once renewNow or a new
 * spec has arrived and the next cycle is about to begin; {@code swapped} once this cycle's new pair is in place.
 */
public record CycleState(boolean idle, boolean renewalPending, Instant nextRenewal, String phase, boolean swapped) {}
