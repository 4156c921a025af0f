package ai.thinkheads.phoenix.certs.activities.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.thinkheads.phoenix.certs.workflows.guest.GuestFacts;
import ai.thinkheads.phoenix.certs.workflows.guest.TrustTarget;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which files a trust store is kept in, for the CA addresses a worker names (one, or two during a rotation). */
class TrustStoreTest {

  static final GuestFacts DEBIAN = new GuestFacts("debian", true, false);

  @Test
  void dockerKeepsAFolderPerCaAddressDuringARotationBetweenAddresses() {
    List<String> both = List.of("https://ca-old.internal:9000/health", "https://10.0.0.5/health");
    assertEquals(List.of("/etc/docker/certs.d/ca-old.internal:9000/ca.crt", "/etc/docker/certs.d/10.0.0.5/ca.crt"),
        paths(TrustStore.all(TrustTarget.of("docker"), DEBIAN, both)));
    assertEquals(List.of("/usr/local/share/ca-certificates/phoenix_ca.crt"),
        paths(TrustStore.all(TrustTarget.of("system"), DEBIAN, both)), "the system store has one place");
    assertEquals(List.of("/etc/docker/certs.d/phoenix-ca/ca.crt"),
        paths(TrustStore.all(TrustTarget.of("docker"), DEBIAN, Arrays.asList(null, null))),
        "two local CAs: one folder");
  }

  private static List<String> paths(List<TrustStore> stores) {
    return stores.stream().map(TrustStore::path).toList();
  }
}
