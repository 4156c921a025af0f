package ai.thinkheads.phoenix.certs.activities.certificate;

import ai.thinkheads.phoenix.certs.activities.crypto.CertificateFacts;
import ai.thinkheads.phoenix.certs.activities.crypto.SubjectNames;
import ai.thinkheads.phoenix.certs.activities.issuer.IssuerRejectedException;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;
import ai.thinkheads.phoenix.certs.workflows.model.KeyAlgorithm;
import ai.thinkheads.phoenix.certs.workflows.model.KeyUsage;
import java.security.PublicKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * The whole certificate a CA hands back, checked against what was asked before anything is written: the key,
 * the exact set of SANs, the subject (the CN asked for and nothing added), key usage and extended key usage as
 * the inventory's {@code usage} says, validity inside what was asked, and a signature no weaker than the key. Each
 * refusal names the field, what was asked and what came back. Issuers check the chain to their pinned root
 * themselves (they know the root); this is what holds for every issuer.
 */
public final class RequestCheck {

  /** How far the CA's clock may run ahead of ours, and how much longer than asked a CA may date a certificate. */
  static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  private static final int DIGITAL_SIGNATURE = 0;
  private static final int KEY_CERT_SIGN = 5;
  private static final int CRL_SIGN = 6;

  private RequestCheck() {}

  /** Throws {@link IssuerRejectedException} unless {@code leaf} is exactly what {@code spec} asked for. */
  public static void check(CertificateSpec spec, PublicKey requestedKey, List<String> requestedSans,
      X509Certificate leaf, Instant now) {
    String what = "the CA's answer for " + spec.name() + " (serial " + CertificateFacts.serialOf(leaf) + ")";
    if (!leaf.getPublicKey().equals(requestedKey)) {
      throw refused(what, "public key", "the key of the request", "another key");
    }
    Set<String> asked = normalized(requestedSans);
    Set<String> got = normalized(CertificateFacts.sansOf(leaf));
    if (!got.equals(asked)) {
      throw refused(what, "SANs", asked.toString(), got.toString());
    }
    checkSubject(what, spec, leaf);
    checkUsage(what, spec.usages(), leaf);
    checkValidity(what, spec.lifetime(), leaf, now);
    checkSignature(what, spec.key(), leaf);
  }

  /**
   * The subject holds the CN asked for and nothing else. A server certificate may come without a CN (ACME CAs
   * drop it; the SANs name the server); a client certificate's CN is its identity and must be there.
   */
  private static void checkSubject(String what, CertificateSpec spec, X509Certificate leaf) {
    String subject = leaf.getSubjectX500Principal().getName();
    List<String> extra = new ArrayList<>();
    String cn = null;
    try {
      for (Rdn rdn : new LdapName(subject).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN") && cn == null) {
          cn = String.valueOf(rdn.getValue());
        } else {
          extra.add(rdn.toString());
        }
      }
    } catch (InvalidNameException e) {
      throw refused(what, "subject", "CN=" + spec.commonName(), subject + " (unreadable: " + e.getMessage() + ")");
    }
    boolean cnRequired = spec.usages().contains(KeyUsage.CLIENT);
    if (!extra.isEmpty() || (cn == null ? cnRequired : !cn.equalsIgnoreCase(spec.commonName()))) {
      throw refused(what, "subject", "CN=" + spec.commonName() + (cnRequired ? "" : " (or no subject)"),
          subject.isEmpty() ? "(empty)" : subject);
    }
  }

  /** Extended key usage exactly as the inventory's {@code usage} says; a leaf that can sign certificates never. */
  private static void checkUsage(String what, List<KeyUsage> usages, X509Certificate leaf) {
    Set<String> asked = new TreeSet<>();
    if (usages.contains(KeyUsage.SERVER)) {
      asked.add("serverAuth");
    }
    if (usages.contains(KeyUsage.CLIENT)) {
      asked.add("clientAuth");
    }
    Set<String> got = new TreeSet<>();
    try {
      List<String> eku = leaf.getExtendedKeyUsage();
      for (String oid : eku == null ? List.<String>of() : eku) {
        got.add(SERVER_AUTH.equals(oid) ? "serverAuth" : CLIENT_AUTH.equals(oid) ? "clientAuth" : oid);
      }
    } catch (CertificateParsingException e) {
      got.add("unreadable: " + e.getMessage());
    }
    if (!got.equals(asked)) {
      throw refused(what, "extended key usage", asked.toString(), got.isEmpty() ? "none" : got.toString());
    }
    boolean[] keyUsage = leaf.getKeyUsage();
    if (leaf.getBasicConstraints() >= 0 || (keyUsage != null && (keyUsage[KEY_CERT_SIGN] || keyUsage[CRL_SIGN]))) {
      throw refused(what, "key usage", "an end-entity certificate", "a CA certificate (it may sign certificates)");
    }
    if (keyUsage != null && !keyUsage[DIGITAL_SIGNATURE]) {
      throw refused(what, "key usage", "digitalSignature", "no digitalSignature");
    }
  }

  /** Valid now, and for no longer than asked (with the skew a CA's backdating takes). */
  private static void checkValidity(String what, Duration lifetime, X509Certificate leaf, Instant now) {
    Instant notBefore = leaf.getNotBefore().toInstant();
    Instant notAfter = leaf.getNotAfter().toInstant();
    if (notBefore.isAfter(now.plus(CLOCK_SKEW)) || !notAfter.isAfter(now)) {
      throw refused(what, "validity", "valid now (" + now + ")", notBefore + " to " + notAfter
          + "; check the clocks of the CA and this worker");
    }
    if (lifetime != null && Duration.between(notBefore, notAfter).compareTo(lifetime.plus(CLOCK_SKEW)) > 0) {
      throw refused(what, "validity", "at most " + lifetime, Duration.between(notBefore, notAfter) + " ("
          + notBefore + " to " + notAfter + ")");
    }
  }

  /** SHA-1 and MD5 never; a P-384 key is not signed with less than SHA-384. */
  private static void checkSignature(String what, KeyAlgorithm key, X509Certificate leaf) {
    String algorithm = leaf.getSigAlgName().toUpperCase(Locale.ROOT).replace("-", "");
    int bits = algorithm.contains("SHA512") ? 256 : algorithm.contains("SHA384") ? 192
        : algorithm.contains("SHA256") ? 128 : algorithm.contains("ED25519") ? 128 : 0;
    int needed = key == KeyAlgorithm.ECDSA_P384 ? 192 : 128;
    if (bits < needed) {
      throw refused(what, "signature algorithm", "SHA-" + (needed == 192 ? "384" : "256") + " or stronger for a "
          + key.id() + " key", leaf.getSigAlgName());
    }
  }

  private static Set<String> normalized(List<String> names) {
    Set<String> out = new TreeSet<>();
    names.forEach(n -> out.add(SubjectNames.canonical(n).toLowerCase(Locale.ROOT)));
    return out;
  }

  private static IssuerRejectedException refused(String what, String field, String asked, String got) {
    return new IssuerRejectedException(what + ": " + field + ": asked " + asked + ", got " + got
        + "; refusing to deploy it (check the CA's template or policy for this provisioner)");
  }
}
