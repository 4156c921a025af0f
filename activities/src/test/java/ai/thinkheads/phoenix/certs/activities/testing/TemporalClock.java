package ai.thinkheads.phoenix.certs.activities.testing;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.function.LongSupplier;

/** A clock that follows the test Temporal server's (skipped) time, so issued certificates age with the workflow. */
public final class TemporalClock extends Clock {

  private final LongSupplier millis;

  public TemporalClock(LongSupplier millis) {
    this.millis = millis;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis.getAsLong());
  }
}
