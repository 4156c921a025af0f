package ai.thinkheads.phoenix.certs.workflows.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DurationsTest {

  @Test
  void readsEveryFormOperatorsWrite() {
    assertEquals(Optional.of(Duration.ofMillis(500)), Durations.parse("500ms"));
    assertEquals(Optional.of(Duration.ofSeconds(90)), Durations.parse(" 90s "));
    assertEquals(Optional.of(Duration.ofMinutes(90)), Durations.parse("1h30m"));
    assertEquals(Optional.of(Duration.ofDays(90)), Durations.parse("90d"));
    assertEquals(Optional.of(Duration.ofMinutes(5)), Durations.parse("PT5M"));
  }

  @Test
  void refusesWhatIsNotAPositiveDuration() {
    for (String bad : new String[] {"", "90", "soon", "0s", "-5m", "5 minutes", "PT-1S", "1y"}) {
      assertEquals(Optional.empty(), Durations.parse(bad), bad);
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Durations.require("soon", "--reconcile-every"));
    assertTrue(e.getMessage().startsWith("--reconcile-every: 'soon' is not a duration"), e.getMessage());
  }
}
