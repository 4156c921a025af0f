package ai.thinkheads.phoenix.certs.activities.issuer.stepca;

import ai.thinkheads.phoenix.certs.workflows.failure.FailureType;
import ai.thinkheads.phoenix.certs.activities.crypto.CertificateFacts;
import ai.thinkheads.phoenix.certs.activities.issuer.HeldCertificate;
import ai.thinkheads.phoenix.certs.activities.issuer.IssueRequest;
import ai.thinkheads.phoenix.certs.activities.issuer.IssuedCertificate;
import ai.thinkheads.phoenix.certs.activities.issuer.Issuer;
import ai.thinkheads.phoenix.certs.activities.issuer.IssuerBusyException;
import ai.thinkheads.phoenix.certs.activities.issuer.IssuerRejectedException;
import ai.thinkheads.phoenix.certs.activities.issuer.RevocationReason;
import ai.thinkheads.phoenix.certs.activities.steps.StepFailedException;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issues from a Smallstep step-ca, as the {@code step} CLI does: type {@code step-ca}. Signs through a JWK
 * provisioner (one-time token per request), renews and rekeys over mTLS with the certificate being replaced,
 * revokes passively. Every answer is checked ({@link AnswerCheck}) before it is returned. Thread-safe.
 *
 * <p>Failures: {@link IssuerRejectedException} when the CA says no to the request (400, 403: a SAN or lifetime
 * its policy forbids); {@link StepFailedException} for what only an operator can fix (wrong root, wrong
 * password, tokens refused {@value #TOKEN_ATTEMPTS} times); {@link StepCaUnavailableException} (retryable) when
 * the CA stays unreachable or failing after {@link RetryPolicy#attempts()}.
 */
public final class StepCaIssuer implements Issuer {

  public static final String TYPE = "step-ca";
  /** Fresh tokens tried when the CA answers 401: a token can be refused once (clock edge); thrice is a pattern. */
  static final int TOKEN_ATTEMPTS = 3;
  /** step-ca backdates notBefore by one minute: a renewal keeps notAfter - notBefore, so lifetime + backdate. */
  static final Duration BACKDATE = Duration.ofMinutes(1);

  private static final Logger log = LoggerFactory.getLogger(StepCaIssuer.class);

  private final StepCaConfig config;
  private final RetryPolicy retry;
  private final Clock clock;
  private final Counters counters = new Counters();
  private volatile Connection connection;
  private volatile ProvisionerKey provisionerKey;

  public StepCaIssuer(StepCaConfig config) {
    this(config, RetryPolicy.DEFAULT, Clock.systemUTC());
  }

  /** {@code clock} is the one tokens and checks use; tests skew it to make the CA refuse tokens. */
  public StepCaIssuer(StepCaConfig config, RetryPolicy retry, Clock clock) {
    this.config = config;
    this.retry = retry;
    this.clock = clock;
  }

  /** The pinned root and a client that trusts only it: made on first use, so a worker starts while the CA is down. */
  private record Connection(PinnedRoot root, StepCaClient client, AnswerCheck check) {}

  /** What this issuer has done: for tests, the benchmark and metrics. */
  public record Activity(long signed, long renewed, long rekeyed, long revoked, long tokensRefused, long retries) {}

  /** How a call authenticates, which decides what a 401 or a refused handshake means. */
  private enum Auth {
    NONE,
    TOKEN,
    CLIENT_CERTIFICATE
  }

  @Override
  public String type() {
    return TYPE;
  }

  public StepCaConfig config() {
    return config;
  }

  @Override
  public String healthUrl() {
    return config.endpoint("/health").toString();
  }

  @Override
  public X509Certificate root() {
    return connection().root().certificate();
  }

  /** The pinned root's fingerprint as verified against the CA (for tokens' {@code sha} claim). */
  public String rootFingerprint() {
    return connection().root().fingerprint();
  }

  /** The provisioner key, decrypted on the first call in this process. */
  public ProvisionerKey provisionerKey() {
    ProvisionerKey key = provisionerKey;
    if (key == null) {
      Connection c = connection();
      // the lookup is a CA call like any other: a CA that is down is retried, then unavailable (retryable)
      key = ProvisionerKey.obtain(config, () -> call("look up provisioner '" + config.provisioner() + "'", Auth.NONE,
          () -> Provisioners.findJwk(c.client(), config.provisioner())));
      provisionerKey = key;
    }
    return key;
  }

  /** TLS settings that trust the pinned root only: what any client of this CA should use. */
  public SSLContext pinnedTls() {
    return connection().root().sslContext(null);
  }

  public Activity activity() {
    return counters.snapshot();
  }

  /** Signs a CSR through the JWK provisioner, with a fresh one-time token per attempt. */
  @Override
  public IssuedCertificate issue(IssueRequest request) {
    Connection c = connection();
    ProvisionerKey key = provisionerKey();
    String what = "sign " + request.certificateName() + " " + request.sans();
    String csr = csrPem(request);
    String subject = request.commonName() != null ? request.commonName() : request.sans().get(0);
    StepCaClient.SignResponse answer = call(what, Auth.TOKEN, () -> c.client().sign(csr,
        OneTimeToken.forSign(key, config, c.root().fingerprint(), subject, request.sans(), clock.instant()).value(),
        request.lifetime(), what));
    IssuedCertificate issued = accept(answer, c, csrKey(request), request.sans(), what);
    counters.signed.incrementAndGet();
    return issued;
  }

  /**
   * Renews from {@code current} when the CA can: mTLS renewal when the key is kept, rekey when it rotates. Signs
   * afresh through the provisioner when there is nothing to renew from: no current pair, an expired or foreign
   * one, other names or another lifetime wanted, or (with a new key) a renewal the CA refuses.
   */
  @Override
  public IssuedCertificate reissue(IssueRequest request, HeldCertificate current) {
    String blocker = current == null ? "no usable certificate on the target" : renewalBlocker(request, current);
    if (blocker != null) {
      log.info("{}: signing through provisioner '{}': {}", request.certificateName(), config.provisioner(),
          blocker);
      return issue(request);
    }
    if (csrKey(request).equals(current.leaf().getPublicKey())) {
      // Same key: renew. If the CA refuses (revoked), do not re-sign the same, perhaps compromised, key.
      return renew(current);
    }
    try {
      return rekey(current, request);
    } catch (RenewalRefusedException e) {
      log.warn("{}: rekey refused, signing the new key through provisioner '{}' instead: {}",
          request.certificateName(), config.provisioner(), e.getMessage());
      return issue(request);
    }
  }

  /** Renews over mTLS: the current certificate and key authenticate; names, key and lifetime stay. */
  @Override
  public IssuedCertificate renew(HeldCertificate current) {
    Connection c = connection();
    String what = "renew serial " + CertificateFacts.serialOf(current.leaf());
    requireRenewable(current, c, what);
    StepCaClient mtls = new StepCaClient(config.url(), c.root().sslContext(new ClientIdentity(current)));
    StepCaClient.SignResponse answer = call(what, Auth.CLIENT_CERTIFICATE, () -> mtls.renew(what));
    IssuedCertificate issued = accept(answer, c, current.leaf().getPublicKey(),
        CertificateFacts.sansOf(current.leaf()), what);
    counters.renewed.incrementAndGet();
    return issued;
  }

  /** Renews over mTLS for the new key in {@code request}'s CSR; names and lifetime stay those of {@code current}. */
  public IssuedCertificate rekey(HeldCertificate current, IssueRequest request) {
    Connection c = connection();
    String what = "rekey " + request.certificateName() + " from serial " + CertificateFacts.serialOf(current.leaf());
    requireRenewable(current, c, what);
    String csr = csrPem(request);
    StepCaClient mtls = new StepCaClient(config.url(), c.root().sslContext(new ClientIdentity(current)));
    StepCaClient.SignResponse answer = call(what, Auth.CLIENT_CERTIFICATE, () -> mtls.rekey(csr, what));
    IssuedCertificate issued = accept(answer, c, csrKey(request), CertificateFacts.sansOf(current.leaf()), what);
    counters.rekeyed.incrementAndGet();
    return issued;
  }

  /** Passive revocation with a provisioner token ({@code sub} = serial): the CA will refuse to renew it. */
  @Override
  public void revoke(X509Certificate certificate, RevocationReason reason) {
    Connection c = connection();
    ProvisionerKey key = provisionerKey();
    String serial = certificate.getSerialNumber().toString();
    String what = "revoke serial " + CertificateFacts.serialOf(certificate);
    try {
      call(what, Auth.TOKEN, () -> {
        c.client().revoke(serial, OneTimeToken.forRevoke(key, config, c.root().fingerprint(), serial,
            clock.instant()).value(), reason, what);
        return null;
      });
    } catch (IssuerRejectedException e) {
      if (!(e.getCause() instanceof StepCaResponseException r && r.caMessage().contains("already revoked"))) {
        throw e;
      }
      // revoked by an earlier attempt: the goal is reached
    }
    counters.revoked.incrementAndGet();
  }

  /**
   * Refuses before calling a CA that would refuse anyway: step-ca renews only valid certificates of its own, and
   * under TLS 1.3 its refusal of a client certificate reaches us as a broken connection, not as an answer.
   */
  private void requireRenewable(HeldCertificate current, Connection c, String what) {
    Instant now = clock.instant();
    X509Certificate leaf = current.leaf();
    if (!leaf.getNotAfter().toInstant().isAfter(now)) {
      throw new RenewalRefusedException(what + ": it expired at " + leaf.getNotAfter().toInstant()
          + "; step-ca renews only valid certificates, so sign a new one through the provisioner");
    }
    String chain = AnswerCheck.chainProblem(current.chain(), c.root().certificate(), now);
    if (chain != null) {
      throw new RenewalRefusedException(what + ": it does not chain to the root of step-ca at " + config.url()
          + " (" + chain + "); sign a new one through the provisioner");
    }
  }

  /** Why {@code current} cannot be renewed into what {@code request} asks for, or null when it can. */
  private String renewalBlocker(IssueRequest request, HeldCertificate current) {
    X509Certificate leaf = current.leaf();
    Instant now = clock.instant();
    if (!leaf.getNotAfter().toInstant().isAfter(now.plus(AnswerCheck.CLOCK_SKEW.dividedBy(5)))) {
      return "serial " + CertificateFacts.serialOf(leaf) + " is expired or about to be (notAfter "
          + leaf.getNotAfter().toInstant() + ")";
    }
    String chain = AnswerCheck.chainProblem(current.chain(), connection().root().certificate(), now);
    if (chain != null) {
      return "serial " + CertificateFacts.serialOf(leaf) + " is not from this CA (" + chain + ")";
    }
    Set<String> held = lower(CertificateFacts.sansOf(leaf));
    Set<String> wanted = lower(request.sans());
    if (!held.equals(wanted)) {
      return "SANs change from " + held + " to " + wanted;
    }
    if (request.lifetime() != null) {
      Duration lifetime = Duration.between(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant())
          .minus(BACKDATE);
      if (lifetime.minus(request.lifetime()).abs().compareTo(Duration.ofMinutes(2)) > 0) {
        return "lifetime changes from " + lifetime + " to " + request.lifetime();
      }
    }
    return null;
  }

  /**
   * Runs one CA call with the retries it deserves: network errors and 5xx back off and try again up to
   * {@link RetryPolicy#attempts()}; a 401 on a token call tries a fresh token (the call mints one each time) up
   * to {@value #TOKEN_ATTEMPTS} times; anything else is the CA's final word.
   */
  private <T> T call(String what, Auth auth, Supplier<T> attempt) {
    int refused = 0;
    int failed = 0;
    while (true) {
      RuntimeException failure;
      try {
        return attempt.get();
      } catch (StepCaResponseException e) {
        if (e.status() == 401 && auth == Auth.TOKEN) {
          counters.tokensRefused.incrementAndGet();
          if (++refused < TOKEN_ATTEMPTS) {
            log.warn("{}: step-ca refused the token ({}); trying a fresh one", what, e.caMessage());
            continue;
          }
          throw new StepFailedException(FailureType.AUTHENTICATION_FAILED, what + ": step-ca at " + config.url()
              + " refused " + TOKEN_ATTEMPTS + " fresh tokens of provisioner '" + config.provisioner() + "': "
              + e.caMessage() + " Check this worker's clock, and that the CA's key for the provisioner is the one"
              + " its encryptedKey holds");
        }
        if (e.busy()) {
          // the CA asks everyone to slow down: the issuer's limiter pauses all requests, not just this one
          throw new IssuerBusyException(what + ": step-ca at " + config.url() + " is busy (HTTP " + e.status() + ": "
              + e.caMessage() + ")", e.retryAfter(), e);
        }
        if (!e.retryable()) {
          throw refusal(what, auth, e);
        }
        failure = e;
      } catch (StepCaTlsRefusedException e) {
        if (auth == Auth.CLIENT_CERTIFICATE) {
          throw withCause(new RenewalRefusedException(e.getMessage()), e);
        }
        throw new StepFailedException(FailureType.ISSUER_UNTRUSTED, e.getMessage());
      } catch (StepCaUnavailableException e) {
        failure = e;
      }
      if (++failed >= retry.attempts()) {
        throw new StepCaUnavailableException(what + ": step-ca at " + config.url() + " failed " + failed
            + " time(s), last with: " + failure.getMessage() + "; it will be retried later", failure);
      }
      counters.retries.incrementAndGet();
      Duration pause = retry.backoff(failed);
      log.warn("{}: attempt {} of {} failed ({}); retrying in {} ms", what, failed, retry.attempts(),
          failure.getMessage(), pause.toMillis());
      sleep(pause, what);
    }
  }

  private IssuerRejectedException refusal(String what, Auth auth, StepCaResponseException e) {
    String message = what + ": step-ca at " + config.url() + " refused (HTTP " + e.status() + "): " + e.caMessage();
    boolean renewalRefused = auth == Auth.CLIENT_CERTIFICATE && (e.status() == 401 || e.status() == 403);
    if (renewalRefused) {
      return withCause(new RenewalRefusedException(message + " (the certificate is revoked, or its provisioner "
          + "does not allow renewal)"), e);
    }
    return withCause(new IssuerRejectedException(message), e);
  }

  private static <E extends RuntimeException> E withCause(E exception, Throwable cause) {
    exception.initCause(cause);
    return exception;
  }

  /** The chain the CA sent (leaf first), checked by the connection's {@link AnswerCheck}. */
  private IssuedCertificate accept(StepCaClient.SignResponse answer, Connection c, PublicKey expectedKey,
      List<String> expectedSans, String what) {
    List<String> pems = answer.certChain() != null && !answer.certChain().isEmpty() ? answer.certChain()
        : answer.ca() == null ? List.of(answer.crt()) : List.of(answer.crt(), answer.ca());
    return c.check().accept(pems, expectedKey, expectedSans, clock.instant(),
        what + " at step-ca " + config.url());
  }

  private Connection connection() {
    Connection current = connection;
    if (current == null) {
      synchronized (this) {
        if (connection == null) {
          PinnedRoot root = call("fetch the root", Auth.NONE, () -> PinnedRoot.bootstrap(config));
          connection = new Connection(root, new StepCaClient(config.url(), root.sslContext(null)),
              new AnswerCheck(root.certificate()));
        }
        current = connection;
      }
    }
    return current;
  }

  /** The CSR as PEM, for the JSON body (plain Base64: BouncyCastle's PEM writer costs more than the rest). */
  private static String csrPem(IssueRequest request) {
    try {
      return "-----BEGIN CERTIFICATE REQUEST-----\n"
          + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(request.csr().getEncoded())
          + "\n-----END CERTIFICATE REQUEST-----\n";
    } catch (IOException e) {
      throw new IssuerRejectedException("the CSR for " + request.certificateName() + " cannot be encoded: "
          + e.getMessage());
    }
  }

  private static PublicKey csrKey(IssueRequest request) {
    try {
      return new JcaPKCS10CertificationRequest(request.csr()).getPublicKey();
    } catch (GeneralSecurityException e) {
      throw new IssuerRejectedException("the CSR for " + request.certificateName() + " has no usable public key: "
          + e.getMessage());
    }
  }

  private static Set<String> lower(List<String> names) {
    Set<String> out = new HashSet<>();
    names.forEach(n -> out.add(n.toLowerCase(Locale.ROOT)));
    return out;
  }

  private static void sleep(Duration pause, String what) {
    try {
      Thread.sleep(pause.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StepCaUnavailableException(what + ": interrupted while waiting to retry", e);
    }
  }

  private static final class Counters {
    final AtomicLong signed = new AtomicLong();
    final AtomicLong renewed = new AtomicLong();
    final AtomicLong rekeyed = new AtomicLong();
    final AtomicLong revoked = new AtomicLong();
    final AtomicLong tokensRefused = new AtomicLong();
    final AtomicLong retries = new AtomicLong();

    Activity snapshot() {
      return new Activity(signed.get(), renewed.get(), rekeyed.get(), revoked.get(), tokensRefused.get(),
          retries.get());
    }
  }
}
