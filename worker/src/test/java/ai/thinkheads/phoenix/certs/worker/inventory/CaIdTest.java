package ai.thinkheads.phoenix.certs.worker.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.thinkheads.phoenix.certs.activities.plugin.Settings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A CA's id is the same in every worker JVM: a rotation records the ids of the CAs it moves between, and each
 * worker applies its phase only when its own ids match. {@code toString()} of the settings' immutable maps
 * iterates in an order each JVM picks at random; a worker restarted mid-rotation then saw "no rotation" and issued
 * from the old CA (CaRotationRestartTest, CI).
 */
class CaIdTest {

  @Test
  void theIdOfACaDependsOnItsSettingsOnlyNotOnTheJvm() {
    Settings ca = new Settings("step-ca", Map.of("url", "https://ca.internal:9000", "fingerprint", "ab12",
        "provisioner", "phoenix", "passwordFile", "/etc/phoenix/pw"), Map.of("timeout", "30s", "retries", "3"),
        List.of(), Map.of(), Map.of());
    // the digest of the canonical form (keys sorted), fixed: any JVM, any map order, gives this
    assertEquals("dfc26c6026d8f736", InventorySnapshot.caId(ca));
    Settings other = new Settings("step-ca", Map.of("url", "https://ca2.internal:9000", "fingerprint", "ab12",
        "provisioner", "phoenix", "passwordFile", "/etc/phoenix/pw"), Map.of("timeout", "30s", "retries", "3"),
        List.of(), Map.of(), Map.of());
    org.junit.jupiter.api.Assertions.assertNotEquals(InventorySnapshot.caId(ca), InventorySnapshot.caId(other));
  }
}
