package ai.thinkheads.phoenix.certs.workflows.guest;

/** The CA's root as the guests must trust it: PEM (public) and the SHA-256 fingerprint of its DER. */
public record RootCertificate(String pem, String fingerprint) {}
