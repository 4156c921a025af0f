package ai.thinkheads.phoenix.certs.workflows.audit;

/** A listed component a source could not read, with the error it got. */
public record Unreachable(String component, String source, String error) {}
