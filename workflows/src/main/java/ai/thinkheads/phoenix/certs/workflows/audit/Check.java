package ai.thinkheads.phoenix.certs.workflows.audit;

/** A yes/no fact the audit measured: "step-ca /health", "/roots matches the pinned fingerprint". */
public record Check(String component, String what, boolean ok, String detail) {}
