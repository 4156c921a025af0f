package ai.thinkheads.phoenix.certs.activities.issuer.stepca;

import ai.thinkheads.phoenix.certs.workflows.failure.FailureType;
import ai.thinkheads.phoenix.certs.activities.steps.StepFailedException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Finds a JWK provisioner by name, walking the CA's paginated provisioner list. */
public final class Provisioners {

  static final int PAGE_SIZE = 100;

  private Provisioners() {}

  public static JwkProvisioner findJwk(StepCaClient client, String name) {
    return findJwk(client, name, PAGE_SIZE);
  }

  static JwkProvisioner findJwk(StepCaClient client, String name, int pageSize) {
    List<String> seen = new ArrayList<>();
    Set<String> cursors = new HashSet<>();
    String cursor = "";
    do {
      StepCaClient.ProvisionersPage page = client.provisioners(cursor, pageSize);
      List<JsonNode> provisioners = page.provisioners() == null ? List.of() : page.provisioners();
      for (JsonNode p : provisioners) {
        String type = p.path("type").asText();
        String pName = p.path("name").asText();
        seen.add(pName + " (" + type + ")");
        if (name.equals(pName) && "JWK".equalsIgnoreCase(type)) {
          return jwk(client, p);
        }
      }
      cursor = provisioners.isEmpty() ? "" : page.nextCursor();
    } while (cursor != null && !cursor.isEmpty() && cursors.add(cursor)); // a repeated cursor would loop forever
    throw new StepFailedException(FailureType.INVALID_SPEC, "step-ca at " + client.base() + " has no JWK provisioner named '"
        + name + "'; it has " + (seen.isEmpty() ? "none" : String.join(", ", seen)) + ". Fix ca.provisioner");
  }

  private static JwkProvisioner jwk(StepCaClient client, JsonNode p) {
    String name = p.path("name").asText();
    JsonNode key = p.path("key");
    String encrypted = p.path("encryptedKey").asText("");
    if (!key.isObject() || key.path("kid").asText("").isEmpty()) {
      throw new StepFailedException(FailureType.INVALID_SPEC, "JWK provisioner '" + name + "' of step-ca at " + client.base()
          + " publishes no key with a kid");
    }
    if (encrypted.isEmpty()) {
      throw new StepFailedException(FailureType.INVALID_SPEC, "JWK provisioner '" + name + "' of step-ca at " + client.base()
          + " publishes no encryptedKey; add one (step ca provisioner add ... --create) or use another provisioner");
    }
    return new JwkProvisioner(name, key.path("kid").asText(), key.toString(), encrypted);
  }
}
