package ai.thinkheads.phoenix.certs.worker.inventory;

/**
 * The CA every certificate comes from. {@code local}: the embedded CA kept in {@code dataDir}. {@code step-ca}:
 * a Smallstep CA at {@code url}, its root pinned by {@code fingerprint}, signing through the JWK provisioner
 * whose password is read from {@code passwordFile} (or all of it from a step setup at {@code stepPath}).
 */
public record CaSettings(String type, String name, String dataDir, String url, String fingerprint,
    String provisioner, String passwordFile, String stepPath) {}
