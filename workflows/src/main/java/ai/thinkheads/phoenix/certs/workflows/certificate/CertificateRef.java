package ai.thinkheads.phoenix.certs.workflows.certificate;

/**
 * Which certificate a step acts on: its name in the inventory, and the digest of the inventory entry the cycle
 * started from. A worker whose entry differs (the inventory changed mid-cycle, or another worker with another
 * inventory took the task) refuses the step instead of mixing two versions of one certificate.
 */
public record CertificateRef(String name, String digest) {}
