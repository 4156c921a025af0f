package ai.thinkheads.phoenix.certs.worker.rotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.thinkheads.phoenix.certs.workflows.rotation.RotationProgress;
import ai.thinkheads.phoenix.certs.workflows.rotation.RotationTarget;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** A worker that cannot read the rotation's phase never takes "no rotation" for an answer. */
class RotationWatchTest {

  @Test
  void anUnreadOrStalePhaseFailsTheStepAndABriefFailureKeepsTheLastPhaseRead() {
    AtomicBoolean answering = new AtomicBoolean(false);
    RotationProgress reissue = RotationProgress.planning(RotationTarget.NEXT);
    Instant[] now = {Instant.parse("2026-01-01T00:00:00Z")};
    Clock clock = new Clock() {
      @Override
      public java.time.ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return now[0];
      }
    };
    RotationWatch watch = new RotationWatch(() -> {
      if (!answering.get()) {
        throw new IllegalStateException("query timed out");
      }
      return Optional.of(reissue);
    }, clock);
    assertThrows(IllegalStateException.class, watch::get, "never read: no guess");
    answering.set(true);
    assertEquals(Optional.of(reissue), watch.get(), "read as soon as it answers, without waiting out the cache");
    answering.set(false);
    now[0] = now[0].plusSeconds(3);
    assertEquals(Optional.of(reissue), watch.get(), "a brief failure: the phase read 3 s ago stands");
    now[0] = now[0].plusSeconds(3);
    assertThrows(IllegalStateException.class, watch::get, "read 6 s ago: the rotation may have moved on since");
    answering.set(true);
    assertEquals(Optional.of(reissue), watch.get(), "answering again");
  }
}
