package ai.thinkheads.phoenix.certs.workflows.audit;

import java.time.Instant;
import java.util.List;

/**
 * One certificate as the audit measured it: public facts only (a key file is read inside the activity and only
 * "does it match" leaves it).
 *
 * @param kind what it is to the estate
 * @param component where it lives: a guest id ("lxc/101"), "ca", or an endpoint ("10.0.0.12:443")
 * @param name the inventory's name for it, else a file path or a domain
 * @param location the file, acme.json entry or host:port it was read from
 * @param key "EC P-256", "RSA 2048", "Ed25519"
 * @param keyBits the key's size (RSA modulus, EC field), for the weak-key rule
 * @param chainDetail the issuer that is missing or foreign, when the chain does not lead to the pinned root
 * @param keyMatches whether the key beside it matches (null: no key to compare)
 * @param expectedSans what the inventory asks (managed: exactly these; endpoint: these must be covered)
 * @param managedBy who renews it: {@code cert/<name>}, {@code traefik resolver <name>}, {@code step-ca}; null: nobody
 * @param renewing whether that renewer runs (the workflow is running); null: not known
 * @param renewAfter the renewal point the inventory sets (managed certificates)
 * @param servedSerial the serial served where the inventory says it is served (null: not checked)
 * @param protocol the TLS protocol negotiated (endpoints)
 */
public record CertificateFact(CertificateKind kind, String component, String name, String location, String subject,
    String issuer, String serial, List<String> sans, Instant notBefore, Instant notAfter, String key, int keyBits,
    String signature, String fingerprint, ChainStatus chain, String chainDetail, Boolean keyMatches,
    List<String> expectedSans, String managedBy, Boolean renewing, Instant renewAfter, String servedSerial,
    String protocol) {

  public CertificateFact {
    sans = sans == null ? List.of() : List.copyOf(sans);
    expectedSans = expectedSans == null ? null : List.copyOf(expectedSans);
  }

  /** What a finding about it calls it: "lxc/101 web" or "acme.json qdrant.internal.thinkheads.ai". */
  public String subjectLabel() {
    return name;
  }

  public CertificateFact managed(String by, Boolean running, Instant renewalPoint) {
    return new CertificateFact(kind, component, name, location, subject, issuer, serial, sans, notBefore, notAfter,
        key, keyBits, signature, fingerprint, chain, chainDetail, keyMatches, expectedSans, by, running,
        renewalPoint, servedSerial, protocol);
  }

  public CertificateFact withKeyMatches(Boolean matches) {
    return new CertificateFact(kind, component, name, location, subject, issuer, serial, sans, notBefore, notAfter,
        key, keyBits, signature, fingerprint, chain, chainDetail, matches, expectedSans, managedBy, renewing,
        renewAfter, servedSerial, protocol);
  }

  public CertificateFact withExpectedSans(List<String> expected) {
    return new CertificateFact(kind, component, name, location, subject, issuer, serial, sans, notBefore, notAfter,
        key, keyBits, signature, fingerprint, chain, chainDetail, keyMatches, expected, managedBy, renewing,
        renewAfter, servedSerial, protocol);
  }

  public CertificateFact withServed(String served, String tlsProtocol) {
    return new CertificateFact(kind, component, name, location, subject, issuer, serial, sans, notBefore, notAfter,
        key, keyBits, signature, fingerprint, chain, chainDetail, keyMatches, expectedSans, managedBy, renewing,
        renewAfter, served, tlsProtocol);
  }
}
