package ai.thinkheads.phoenix.certs.starter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The certificate names an inventory file lists (for {@code status --inventory}, the last resort). */
final class CertificateNames {

  private CertificateNames() {}

  static List<String> fromInventory(Path file) {
    try {
      JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
      List<String> names = new ArrayList<>();
      if (root != null) {
        root.path("certificates").forEach(c -> {
          if (c.hasNonNull("name")) {
            names.add(c.get("name").asText());
          }
        });
      }
      return names;
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read inventory " + file + ": " + e.getMessage());
    }
  }
}
