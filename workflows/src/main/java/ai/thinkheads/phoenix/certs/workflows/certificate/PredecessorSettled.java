package ai.thinkheads.phoenix.certs.workflows.certificate;

/**
 * The answer to a {@link SettledWaiter}: {@code predecessor} is between cycles, or ({@code swapped}) its new pair
 * is in and the waiter, which shares its reload, may go in too.
 */
public record PredecessorSettled(String predecessor, boolean swapped) {}
