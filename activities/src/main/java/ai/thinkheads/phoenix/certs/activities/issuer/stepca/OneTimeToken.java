package ai.thinkheads.phoenix.certs.activities.issuer.stepca;

import com.nimbusds.jwt.JWTClaimsSet;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;

/**
 * A single-use token from a JWK provisioner, shaped like the ones {@code step ca token} makes: ES256, header
 * {@code kid}; {@code iss} the provisioner, {@code aud} the endpoint, {@code sub} the subject, {@code sha} the
 * root fingerprint, a random {@code jti} (the CA refuses it twice) and a short {@code exp}.
 *
 * @param value the compact JWT; a credential for five minutes, so toString hides it
 */
public record OneTimeToken(String value, String id, Instant expiresAt) {

  static final Duration LIFETIME = Duration.ofMinutes(5);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** For {@code POST /1.0/sign}: {@code sub} the common name, {@code sans} exactly the CSR's SANs. */
  public static OneTimeToken forSign(ProvisionerKey key, StepCaConfig ca, String rootFingerprint, String subject,
      List<String> sans, Instant now) {
    return mint(key, ca.endpoint("/1.0/sign").toString(), rootFingerprint, subject, sans, now);
  }

  /** For {@code POST /1.0/revoke}: {@code sub} the serial number in decimal. */
  public static OneTimeToken forRevoke(ProvisionerKey key, StepCaConfig ca, String rootFingerprint,
      String serialDecimal, Instant now) {
    return mint(key, ca.endpoint("/1.0/revoke").toString(), rootFingerprint, serialDecimal, null, now);
  }

  private static OneTimeToken mint(ProvisionerKey key, String audience, String rootFingerprint, String subject,
      List<String> sans, Instant now) {
    byte[] nonce = new byte[32];
    RANDOM.nextBytes(nonce);
    String jti = HexFormat.of().formatHex(nonce);
    Instant expires = now.plus(LIFETIME);
    JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
        .issuer(key.provisioner())
        .subject(subject)
        .audience(audience)
        .jwtID(jti)
        .notBeforeTime(Date.from(now))
        .issueTime(Date.from(now))
        .expirationTime(Date.from(expires))
        .claim("sha", rootFingerprint);
    if (sans != null) {
      claims.claim("sans", List.copyOf(sans));
    }
    return new OneTimeToken(key.sign(claims.build()), jti, expires);
  }

  @Override
  public String toString() {
    return "OneTimeToken[jti=" + id + ", expires=" + expiresAt + ", value=<redacted>]";
  }
}
