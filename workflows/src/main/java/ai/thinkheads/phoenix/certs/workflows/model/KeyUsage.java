package ai.thinkheads.phoenix.certs.workflows.model;

/** Extended key usages a leaf certificate carries: TLS server, TLS client (mTLS), or both. */
public enum KeyUsage {
  SERVER,
  CLIENT
}
