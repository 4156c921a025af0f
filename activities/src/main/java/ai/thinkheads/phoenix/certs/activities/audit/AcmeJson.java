package ai.thinkheads.phoenix.certs.activities.audit;

import ai.thinkheads.phoenix.certs.activities.crypto.KeyPairs;
import ai.thinkheads.phoenix.certs.activities.crypto.Pem;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Traefik's acme.json, read for public facts only. Layouts: v2 and v3 ({@code {"<resolver>": {"Account": ...,
 * "Certificates": [{"domain": {"main", "sans"}, "certificate", "key", "Store"}]}}}, any resolver name) and v1
 * ({@code {"Account", "Certificates": [{"Domain": {"Main", "SANs"}, "Certificate", "Key"}]}}). The account key and
 * each certificate's key are parsed here only to tell whether the key matches, and dropped.
 */
public final class AcmeJson {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One certificate of the file: its resolver, the domains Traefik asked for, the chain, whether the key matches. */
  public record Entry(String resolver, String main, List<String> sans, List<X509Certificate> chain,
      Boolean keyMatches) {}

  private AcmeJson() {}

  public static List<Entry> parse(byte[] content) throws Exception {
    JsonNode root = JSON.readTree(content);
    List<Entry> out = new ArrayList<>();
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("acme.json is not a JSON object");
    }
    if (root.has("Certificates") || root.has("Account")) {
      read("(v1)", root, out);
      return out;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> resolver = it.next();
      if (resolver.getValue().isObject()) {
        read(resolver.getKey(), resolver.getValue(), out);
      }
    }
    return out;
  }

  private static void read(String resolver, JsonNode node, List<Entry> out) {
    JsonNode certificates = field(node, "Certificates");
    if (certificates == null || !certificates.isArray()) {
      return;
    }
    for (JsonNode c : certificates) {
      JsonNode domain = field(c, "domain");
      String main = domain == null ? null : text(field(domain, "main"));
      List<String> sans = new ArrayList<>();
      JsonNode sanNode = domain == null ? null : field(domain, "sans");
      if (sanNode != null && sanNode.isArray()) {
        sanNode.forEach(s -> sans.add(s.asText()));
      }
      List<X509Certificate> chain = Measure.certificates(decode(text(field(c, "certificate"))));
      if (chain.isEmpty()) {
        continue;
      }
      out.add(new Entry(resolver, main, sans, chain, keyMatches(text(field(c, "key")), chain.get(0))));
    }
  }

  private static Boolean keyMatches(String base64Key, X509Certificate leaf) {
    if (base64Key == null || base64Key.isBlank()) {
      return null;
    }
    try {
      PrivateKey key = Pem.privateKey(decode(base64Key));
      return KeyPairs.matches(key, leaf.getPublicKey());
    } catch (Exception e) {
      return Boolean.FALSE;
    }
  }

  /** Traefik stores PEM base64-encoded; accept plain PEM too. */
  private static String decode(String value) {
    if (value == null) {
      return "";
    }
    if (value.contains("-----BEGIN")) {
      return value;
    }
    try {
      return new String(Base64.getMimeDecoder().decode(value), StandardCharsets.US_ASCII);
    } catch (IllegalArgumentException e) {
      return "";
    }
  }

  /** A field by name, in any case (v1 capitalises, v2 does not). */
  private static JsonNode field(JsonNode node, String name) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (key.equalsIgnoreCase(name)) {
        return node.get(key);
      }
    }
    return null;
  }

  private static String text(JsonNode node) {
    return node == null || node.isNull() ? null : node.asText();
  }
}
