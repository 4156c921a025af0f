package ai.thinkheads.phoenix.certs.workflows.model;

import java.util.Arrays;
import java.util.Optional;

/** Key algorithms a certificate can ask for; the inventory names them by {@link #id()}. */
public enum KeyAlgorithm {
  ECDSA_P256("ecdsa-p256"),
  ECDSA_P384("ecdsa-p384"),
  RSA_2048("rsa-2048"),
  RSA_3072("rsa-3072"),
  RSA_4096("rsa-4096");

  private final String id;

  KeyAlgorithm(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  public boolean isRsa() {
    return this.name().startsWith("RSA");
  }

  public static Optional<KeyAlgorithm> fromId(String id) {
    return Arrays.stream(values()).filter(k -> k.id.equalsIgnoreCase(id)).findFirst();
  }

  public static String allIds() {
    return String.join(", ", Arrays.stream(values()).map(KeyAlgorithm::id).toList());
  }
}
