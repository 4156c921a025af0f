package ai.thinkheads.phoenix.certs.workflows.coordination;

/**
 * Certificate {@code certificate} is being renewed and will ask for reload {@code key} ({@code expected}), or no
 * longer will (its attempt failed before): a batch of that reload waits for it a little, so that certificates
 * renewed together take one reload.
 */
public record ReloadExpectation(String key, String certificate, boolean expected) {}
