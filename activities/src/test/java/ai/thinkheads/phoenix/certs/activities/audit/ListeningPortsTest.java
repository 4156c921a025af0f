package ai.thinkheads.phoenix.certs.activities.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** `ss -ltnH` as iproute2 prints it: IPv4, IPv6, wildcards, zones; excluded ports left out. */
class ListeningPortsTest {

  @Test
  void everyListeningPortOnce() {
    String ss = """
        LISTEN 0      128          0.0.0.0:22        0.0.0.0:*
        LISTEN 0      511        127.0.0.1:443       0.0.0.0:*
        LISTEN 0      4096    10.0.0.12%eth0:9443    0.0.0.0:*
        LISTEN 0      511             [::]:443          [::]:*
        LISTEN 0      511                *:8006            *:*
        garbage line
        """;
    Map<Integer, String> ports = ListeningPorts.parse(ss, Set.of(22));
    assertEquals(Map.of(443, "127.0.0.1", 9443, "10.0.0.12", 8006, "*"), ports);
    assertTrue(ListeningPorts.wildcard("*") && ListeningPorts.wildcard("::") && ListeningPorts.wildcard("0.0.0.0"));
  }
}
