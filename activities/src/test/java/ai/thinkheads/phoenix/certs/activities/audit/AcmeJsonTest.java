package ai.thinkheads.phoenix.certs.activities.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.thinkheads.phoenix.certs.activities.testing.SelfSignedCertificates;
import ai.thinkheads.phoenix.certs.workflows.audit.ChainStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Traefik's acme.json layouts, and the chain check on what they hold. */
class AcmeJsonTest {

  static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void v2AndV3WithAnyResolverName() throws Exception {
    var a = SelfSignedCertificates.make("a.test", Instant.now(), Instant.now().plus(Duration.ofDays(1)));
    var b = SelfSignedCertificates.make("b.test", Instant.now(), Instant.now().plus(Duration.ofDays(1)));
    String json = "{\"internal\":{\"Account\":{\"PrivateKey\":\"xx\"},\"Certificates\":[{\"domain\":{\"main\":\"a.test\","
        + "\"sans\":[\"www.a.test\"]},\"certificate\":\"" + b64(a.certPem()) + "\",\"key\":\"" + b64(a.keyPem())
        + "\",\"Store\":\"default\"}]},\"other\":{\"Account\":null,\"Certificates\":[{\"domain\":{\"main\":\"b.test\"},"
        + "\"certificate\":\"" + b64(b.certPem()) + "\",\"key\":\"" + b64(a.keyPem()) + "\"}]},\"empty\":{}}";
    List<AcmeJson.Entry> entries = AcmeJson.parse(json.getBytes(StandardCharsets.UTF_8));
    assertEquals(2, entries.size());
    assertEquals("internal", entries.get(0).resolver());
    assertEquals(List.of("www.a.test"), entries.get(0).sans());
    assertEquals(Boolean.TRUE, entries.get(0).keyMatches());
    assertEquals("other", entries.get(1).resolver());
    assertEquals(Boolean.FALSE, entries.get(1).keyMatches(), "b's entry carries a's key");
    assertEquals(ChainStatus.SELF_SIGNED, ChainCheck.of(entries.get(1).chain().get(0), entries.get(1).chain(),
        a.certificate()).status());
  }

  @Test
  void v1Layout() throws Exception {
    var a = SelfSignedCertificates.make("a.test", Instant.now(), Instant.now().plus(Duration.ofDays(1)));
    String json = "{\"Account\":{},\"Certificates\":[{\"Domain\":{\"Main\":\"a.test\",\"SANs\":null},"
        + "\"Certificate\":\"" + b64(a.certPem()) + "\",\"Key\":\"" + b64(a.keyPem()) + "\"}]}";
    List<AcmeJson.Entry> entries = AcmeJson.parse(json.getBytes(StandardCharsets.UTF_8));
    assertEquals(1, entries.size());
    assertEquals("a.test", entries.get(0).main());
    assertEquals(ChainStatus.PINNED_ROOT, ChainCheck.of(entries.get(0).chain().get(0), List.of(),
        a.certificate()).status(), "the pinned root itself");
  }

  @Test
  void notJson() {
    assertThrows(Exception.class, () -> AcmeJson.parse("[1]".getBytes(StandardCharsets.UTF_8)));
  }
}
