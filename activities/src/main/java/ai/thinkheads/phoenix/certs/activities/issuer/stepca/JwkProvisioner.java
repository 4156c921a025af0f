package ai.thinkheads.phoenix.certs.activities.issuer.stepca;

/**
 * A JWK provisioner as {@code GET /1.0/provisioners} lists it: public data only.
 *
 * @param publicKey the provisioner's public JWK (JSON); step-ca verifies tokens with it
 * @param encryptedKey the private JWK, as a compact PBES2 JWE under the provisioner's password
 */
public record JwkProvisioner(String name, String kid, String publicKey, String encryptedKey) {}
