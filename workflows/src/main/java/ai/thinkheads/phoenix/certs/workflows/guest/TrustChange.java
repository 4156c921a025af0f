package ai.thinkheads.phoenix.certs.workflows.guest;

/** What installing the root into one trust store did: {@code changed} is false when it was already there. */
public record TrustChange(String target, String path, boolean changed) {}
