package ai.thinkheads.phoenix.certs.workflows.model;

import java.util.List;

/** Extended key usages a leaf certificate carries: TLS server, TLS client (mTLS), or both. */
public enum KeyUsage {
  SERVER,
  CLIENT;

  /**
   * When the inventory says nothing: both, as step-ca's default template and most CAs issue them. A certificate
   * whose inventory names its usage gets exactly that, and the CA's answer is checked against it.
   */
  public static final List<KeyUsage> DEFAULT = List.of(SERVER, CLIENT);
}
