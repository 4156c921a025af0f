package ai.thinkheads.phoenix.certs.workflows.audit;

/** What a certificate is to the estate. */
public enum CertificateKind {
  /** The CA's root (as /roots serves it, or a local CA's file). */
  ROOT,
  /** The CA's intermediate. */
  INTERMEDIATE,
  /** The TLS certificate the CA itself serves. */
  CA_TLS,
  /** A certificate the inventory lists, as deployed on its guest. */
  MANAGED,
  /** A certificate Traefik keeps in its acme.json. */
  ACME,
  /** What a TLS endpoint named in the inventory serves. */
  ENDPOINT,
  /** A certificate file found on a guest under a directory the audit looks in. */
  FILE,
  /** What a TLS port found listening on a guest ({@code ss -ltn}) serves. */
  DISCOVERED
}
