package ai.thinkheads.phoenix.certs.activities.issuer.stepca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

/** A busy step-ca's Retry-After, as RFC 9110 writes it: seconds or an HTTP date; anything else is no advice. */
class RetryAfterTest {

  @Test
  void secondsOrAnHttpDate() {
    assertEquals(Duration.ofSeconds(120), StepCaClient.retryAfter("120"));
    assertEquals(Duration.ofSeconds(3), StepCaClient.retryAfter(" 3 "));
    String inTen = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(10));
    Duration left = StepCaClient.retryAfter(inTen);
    assertTrue(left.toSeconds() >= 8 && left.toSeconds() <= 10, left.toString());
    String past = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).minusHours(1));
    assertEquals(Duration.ZERO, StepCaClient.retryAfter(past));
    assertNull(StepCaClient.retryAfter(null));
    assertNull(StepCaClient.retryAfter("soon"));
  }

  @Test
  void busyIs429Or503() {
    assertTrue(new StepCaResponseException("POST /1.0/sign", 429, "slow down", Duration.ofSeconds(1)).busy());
    assertTrue(new StepCaResponseException("POST /1.0/sign", 503, "overloaded").busy());
    assertTrue(!new StepCaResponseException("POST /1.0/sign", 500, "broken").busy());
  }
}
