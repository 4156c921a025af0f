package ai.thinkheads.phoenix.certs.activities.issuer.stepca;

import ai.thinkheads.phoenix.certs.activities.crypto.CertificateFacts;
import ai.thinkheads.phoenix.certs.activities.crypto.SubjectNames;
import ai.thinkheads.phoenix.certs.activities.issuer.IssuedCertificate;
import ai.thinkheads.phoenix.certs.activities.issuer.IssuerRejectedException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * What the CA hands back (to the step-ca and acme issuers) is checked before anyone uses it: the leaf chains to
 * the pinned root (PKIX, the JDK's validator), names exactly the SANs asked for, certifies the key asked for, and
 * is valid now.
 *
 * <p>The CA's intermediates rarely change, so once a chain has validated in full to the pinned root its
 * intermediates are remembered (while valid) and later leaves are validated against the first of them: one
 * signature check per certificate instead of the whole path. Intermediates with name constraints are never
 * shortcut, since an anchor would drop them.
 */
public final class AnswerCheck {

  /** How far the CA's clock may run ahead of ours before a notBefore in the future is suspicious. */
  static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
  private static final String NAME_CONSTRAINTS = "2.5.29.30";
  private static final int MAX_REMEMBERED = 16;

  private final X509Certificate root;
  /** Issuer chains (as the CA sent them, PEM) already validated to the root. */
  private final ConcurrentMap<List<String>, Proven> proven = new ConcurrentHashMap<>();

  /**
   * Intermediates that validated to the root, and the leaf's issuer as a trust anchor whose key is a
   * BouncyCastle key object: BC keeps its precomputed multiples of the key on that object, which makes every
   * later verification about three times cheaper than with a key converted afresh each time.
   */
  private record Proven(List<X509Certificate> issuers, TrustAnchor anchor) {

    static Proven of(List<X509Certificate> issuers) {
      X509Certificate issuer = issuers.get(0);
      try {
        PublicKey key = KeyFactory.getInstance(issuer.getPublicKey().getAlgorithm(), FastSignatures.provider())
            .generatePublic(new X509EncodedKeySpec(issuer.getPublicKey().getEncoded()));
        return new Proven(List.copyOf(issuers), new TrustAnchor(issuer.getSubjectX500Principal(), key, null));
      } catch (GeneralSecurityException e) {
        return new Proven(List.copyOf(issuers), new TrustAnchor(issuer, null));
      }
    }
  }

  public AnswerCheck(X509Certificate root) {
    this.root = root;
  }

  /**
   * Parses the CA's chain (PEM, leaf first; a root in it is dropped) and accepts it only if every check passes;
   * otherwise {@link IssuerRejectedException} saying what is wrong.
   */
  public IssuedCertificate accept(List<String> pems, PublicKey expectedKey, Collection<String> expectedSans,
      Instant now, String what) {
    if (pems.isEmpty()) {
      throw rejected(what, "is missing");
    }
    X509Certificate leaf = parse(pems.get(0), what);
    List<String> issuerPems = List.copyOf(pems.subList(1, pems.size()));
    Proven known = proven.get(issuerPems);
    List<X509Certificate> issuers;
    String problem;
    if (known != null && validAt(known.issuers(), now)) {
      issuers = known.issuers();
      problem = pathProblem(List.of(leaf), known.anchor(), now);
    } else {
      issuers = new ArrayList<>();
      for (String pem : issuerPems) {
        X509Certificate cert = parse(pem, what);
        if (!cert.equals(root)) {
          issuers.add(cert);
        }
      }
      List<X509Certificate> chain = new ArrayList<>(List.of(leaf));
      chain.addAll(issuers);
      problem = pathProblem(chain, new TrustAnchor(root, null), now);
      if (problem == null && !issuers.isEmpty() && issuers.stream().noneMatch(AnswerCheck::constrained)) {
        if (proven.size() >= MAX_REMEMBERED) {
          proven.clear();
        }
        proven.put(issuerPems, Proven.of(issuers));
      }
    }
    if (problem != null) {
      throw rejected(what, "does not chain to the pinned root " + CertificateFacts.fingerprint(root) + ": "
          + problem);
    }
    List<X509Certificate> chain = new ArrayList<>(List.of(leaf));
    chain.addAll(issuers);
    IssuedCertificate issued = new IssuedCertificate(chain, root);
    checkLeaf(leaf, expectedKey, expectedSans, now, what);
    return issued;
  }

  /** Null when {@code chain} (leaf first, without the root) validates to {@code root} at {@code at}. */
  static String chainProblem(List<X509Certificate> chain, X509Certificate root, Instant at) {
    return pathProblem(chain, new TrustAnchor(root, null), at);
  }

  private static void checkLeaf(X509Certificate leaf, PublicKey expectedKey, Collection<String> expectedSans,
      Instant now, String what) {
    if (!leaf.getPublicKey().equals(expectedKey)) {
      throw rejected(what, "certifies another public key than the one requested");
    }
    Set<String> got = normalized(CertificateFacts.sansOf(leaf));
    Set<String> wanted = normalized(expectedSans);
    if (!got.equals(wanted)) {
      throw rejected(what, "names SANs " + got + ", requested " + wanted);
    }
    Instant notBefore = leaf.getNotBefore().toInstant();
    Instant notAfter = leaf.getNotAfter().toInstant();
    if (notBefore.isAfter(now.plus(CLOCK_SKEW)) || !notAfter.isAfter(now)) {
      throw rejected(what, "is not valid now (" + notBefore + " to " + notAfter + ", now " + now
          + "); check the clocks of the CA and this worker");
    }
  }

  private static String pathProblem(List<X509Certificate> chain, TrustAnchor anchor, Instant at) {
    try {
      PKIXParameters parameters = new PKIXParameters(Set.of(anchor));
      parameters.setRevocationEnabled(false); // step-ca 0.19 publishes no CRL or OCSP; revocation is passive
      parameters.setDate(Date.from(at));
      parameters.setSigProvider(FastSignatures.name()); // the JDK's PKIX rules, BouncyCastle's faster ECDSA
      CertPathValidator.getInstance("PKIX").validate(
          CertificateFactory.getInstance("X.509").generateCertPath(chain), parameters);
      return null;
    } catch (GeneralSecurityException e) {
      return e.getMessage();
    }
  }

  private static boolean validAt(List<X509Certificate> certs, Instant at) {
    Date date = Date.from(at);
    return certs.stream().allMatch(c -> !date.before(c.getNotBefore()) && !date.after(c.getNotAfter()));
  }

  private static boolean constrained(X509Certificate cert) {
    return cert.getExtensionValue(NAME_CONSTRAINTS) != null;
  }

  /** The JDK's parser: PEM in, one certificate out (several times faster than going through BouncyCastle). */
  private static X509Certificate parse(String pem, String what) {
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw rejected(what, "is unreadable (" + e.getMessage() + ")");
    }
  }

  private static Set<String> normalized(Collection<String> names) {
    Set<String> out = new TreeSet<>();
    names.forEach(n -> out.add(SubjectNames.canonical(n).toLowerCase(Locale.ROOT)));
    return out;
  }

  private static IssuerRejectedException rejected(String what, String problem) {
    return new IssuerRejectedException(what + ": the certificate the CA returned " + problem
        + "; refusing to use it");
  }
}
