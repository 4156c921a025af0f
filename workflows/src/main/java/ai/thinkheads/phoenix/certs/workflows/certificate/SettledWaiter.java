package ai.thinkheads.phoenix.certs.workflows.certificate;

/**
 * Certificate {@code dependent} comes after the one it asks, and waits to activate its new pair until that one is
 * between cycles; {@code reloadKey} is its reload (null: none), so that one sharing the same reload goes in as
 * soon as the other's pair is in and takes the same reload.
 */
public record SettledWaiter(String dependent, String reloadKey) {}
