package ai.thinkheads.phoenix.certs.activities.issuer.acme;

import ai.thinkheads.phoenix.certs.activities.crypto.Pem;
import ai.thinkheads.phoenix.certs.activities.crypto.SubjectNames;
import ai.thinkheads.phoenix.certs.activities.issuer.IssueRequest;
import ai.thinkheads.phoenix.certs.activities.issuer.IssuedCertificate;
import ai.thinkheads.phoenix.certs.activities.issuer.Issuer;
import ai.thinkheads.phoenix.certs.activities.issuer.IssuerBusyException;
import ai.thinkheads.phoenix.certs.activities.issuer.IssuerContext;
import ai.thinkheads.phoenix.certs.activities.issuer.IssuerRejectedException;
import ai.thinkheads.phoenix.certs.activities.issuer.IssuerUnavailableException;
import ai.thinkheads.phoenix.certs.activities.issuer.RevocationReason;
import ai.thinkheads.phoenix.certs.activities.issuer.stepca.AnswerCheck;
import ai.thinkheads.phoenix.certs.activities.transport.Transport;
import ai.thinkheads.phoenix.certs.workflows.failure.FailureType;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Certificate;
import org.shredzone.acme4j.Identifier;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.PollableResource;
import org.shredzone.acme4j.Problem;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Challenge;
import org.shredzone.acme4j.challenge.Http01Challenge;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.exception.AcmeRateLimitedException;
import org.shredzone.acme4j.exception.AcmeServerException;
import org.shredzone.acme4j.exception.AcmeUnauthorizedException;
import org.shredzone.acme4j.exception.AcmeUserActionRequiredException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issues from an ACME CA (RFC 8555) with acme4j: type {@code acme}. One account per issuer, its key in the file
 * the inventory names; each certificate is an order whose names are proven with http-01, answered through the
 * certificate's guest's transport in the inventory's webroot (and removed again, whatever happened); the CSR is
 * the one the activity made, so the private key never leaves it. The CA's chain is checked ({@link AnswerCheck})
 * before it is returned. Thread-safe.
 *
 * <p>Failures: {@link FailureType#CHALLENGE_FAILED} when the CA could not validate a name (with the CA's reason);
 * {@link IssuerRejectedException} when it refuses the order, the CSR or the account; {@link
 * IssuerUnavailableException} (retried) when it cannot be reached, fails inside or rate-limits.
 */
public final class AcmeIssuer implements Issuer {

  public static final String TYPE = "acme";
  static final Duration ORDER_TIMEOUT = Duration.ofSeconds(60);
  /** Polls start fast (a step-ca validates while the trigger is answered) and back off to this. */
  static final Duration FIRST_POLL = Duration.ofMillis(50);
  static final Duration MAX_POLL = Duration.ofSeconds(2);

  private static final Logger log = LoggerFactory.getLogger(AcmeIssuer.class);

  private final AcmeConfig config;
  private final IssuerContext guests;
  private final Http01Webroot webroot;
  private final Clock clock;
  private volatile Connection connection;
  private volatile Login login;

  /** TLS trust, the acme4j session (shared: acme4j 4 serializes its nonces) and the check of answers. */
  private record Connection(Session session, AcmeTrust trust, AnswerCheck check) {}

  /** An http-01 answer put on the guest, to be removed whatever happens. */
  private record Answer(String name, Http01Challenge challenge, String path) {}

  public AcmeIssuer(AcmeConfig config, IssuerContext guests) {
    this(config, guests, Clock.systemUTC());
  }

  AcmeIssuer(AcmeConfig config, IssuerContext guests, Clock clock) {
    this.config = config;
    this.guests = guests;
    this.webroot = new Http01Webroot(config.webroot());
    this.clock = clock;
  }

  @Override
  public String type() {
    return TYPE;
  }

  public AcmeConfig config() {
    return config;
  }

  @Override
  public X509Certificate root() {
    return connection().trust().root();
  }

  /** A step-ca's health endpoint, when its root is the pinned one (a guest trusting the root can reach it). */
  @Override
  public String healthUrl() {
    return config.fingerprint() == null ? null : config.caBase() + "/health";
  }

  @Override
  public IssuedCertificate issue(IssueRequest request) {
    String what = "order " + request.certificateName() + " " + request.sans() + " at " + config.directory();
    Connection c = connection();
    boolean registeredBefore = login != null;
    try {
      try {
        return order(c, login(c), request, what);
      } catch (AcmeServerException e) {
        if (!registeredBefore || !accountGone(e)) {
          throw e;
        }
        // the CA forgot the account (a reset test CA, a deactivation): register again, once
        log.warn("{}: the CA no longer knows account {} ({}); registering again", what, login.getAccountLocation(),
            e.getMessage());
        login = null;
        return order(c, login(c), request, what);
      }
    } catch (AcmeException e) {
      throw failure(what, e);
    } catch (org.shredzone.acme4j.exception.AcmeProtocolException e) {
      throw new IssuerUnavailableException(what + ": the CA's answer is not what ACME says: " + e.getMessage(), e);
    }
  }

  private IssuedCertificate order(Connection c, Login account, IssueRequest request, String what)
      throws AcmeException {
    Order order = account.newOrder().identifiers(identifiers(request.sans())).create();
    authorize(order, request.certificateName(), what);
    Status status = await(order, Set.of(Status.READY, Status.VALID, Status.INVALID), ORDER_TIMEOUT);
    if (status == Status.READY) {
      order.execute(csr(request));
      status = await(order, Set.of(Status.VALID, Status.INVALID), ORDER_TIMEOUT);
    }
    if (status == Status.INVALID) {
      throw new IssuerRejectedException(what + ": the CA refused the order: " + describe(order.getError()));
    }
    if (status != Status.VALID) {
      throw new IssuerUnavailableException(what + ": the order is still " + status + " after " + ORDER_TIMEOUT
          + "; it will be retried", null);
    }
    List<String> chain = order.getCertificate().getCertificateChain().stream().map(Pem::encode).toList();
    return c.check().accept(chain, csrKey(request), request.sans(), clock.instant(), what);
  }

  /**
   * Proves every name still pending with http-01: all answers are written first, then all triggered (so the CA
   * validates them together), then awaited; every answer written is removed again, also on failure.
   */
  private void authorize(Order order, String certificate, String what) throws AcmeException {
    List<Answer> answers = new ArrayList<>();
    Transport guest = null;
    try {
      for (Authorization authorization : order.getAuthorizations()) {
        String name = authorization.getIdentifier().getValue();
        if (authorization.getStatus() == Status.VALID) {
          log.info("{}: the CA accepts an earlier proof for {} (valid until {})", what, name,
              authorization.getExpires().map(Object::toString).orElse("?"));
          continue;
        }
        if (authorization.getStatus() != Status.PENDING) {
          throw new IssuerRejectedException(what + ": the CA's authorization for " + name + " is "
              + authorization.getStatus());
        }
        Http01Challenge challenge = authorization.findChallenge(Http01Challenge.class).orElseThrow(() ->
            new IssuerRejectedException(what + ": the CA offers no http-01 for " + name + " (only "
                + authorization.getChallenges().stream().map(Challenge::getType).toList() + ")"));
        if (guest == null) {
          guest = guests.guestOf(certificate);
        }
        answers.add(new Answer(name, challenge, webroot.put(guest, challenge.getToken(),
            challenge.getAuthorization())));
      }
      for (Answer answer : answers) {
        if (answer.challenge().getStatus() == Status.PENDING) {
          answer.challenge().trigger();
        }
      }
      for (Answer answer : answers) {
        awaitValidation(answer, guest, what);
      }
    } finally {
      for (Answer answer : answers) {
        try {
          webroot.remove(guest, answer.path());
        } catch (RuntimeException e) {
          log.warn("{}: could not remove the http-01 answer {} on {}: {}", what, answer.path(), guest.describe(),
              e.getMessage());
        }
      }
    }
  }

  private void awaitValidation(Answer answer, Transport guest, String what) throws AcmeException {
    Http01Challenge challenge = answer.challenge();
    Status status = await(challenge, Set.of(Status.VALID, Status.INVALID), config.challengeTimeout());
    if (status == Status.VALID) {
      return;
    }
    Optional<Problem> error = challenge.getError();
    if (status != Status.INVALID && error.isEmpty()) {
      throw new IssuerUnavailableException(what + ": the CA did not validate http-01 for " + answer.name()
          + " within " + config.challengeTimeout() + " (still " + status + "); it will be retried", null);
    }
    // A CA that keeps a failed challenge pending (step-ca 0.19 retries on every poll) has said why all the same.
    throw FailureType.CHALLENGE_FAILED.failure("http-01 for " + answer.name() + " failed"
        + (status == Status.INVALID ? "" : " (still " + status + " after " + config.challengeTimeout() + ")")
        + ": the CA at " + config.directory() + " says: " + describe(error) + ". It fetches http://"
        + answer.name() + Http01Webroot.CHALLENGE_DIR + challenge.getToken() + ": check that " + answer.name()
        + " resolves, for the CA, to " + guest.describe() + " and that the web server there serves "
        + webroot.webroot() + Http01Webroot.CHALLENGE_DIR + " on port 80 (the answer was put there for the CA, "
        + "and removed again)");
  }

  /**
   * Polls {@code resource} until its status is one of {@code done} or {@code timeout} passes: at once (a step-ca
   * has often finished by then), then backing off, never sooner than a Retry-After the CA sent. Returns the last
   * status seen.
   */
  private Status await(PollableResource resource, Set<Status> done, Duration timeout) throws AcmeException {
    Instant deadline = clock.instant().plus(timeout);
    Duration pause = FIRST_POLL;
    Instant retryAfter = done.contains(resource.getStatus()) ? null : resource.fetch().orElse(null);
    while (!done.contains(resource.getStatus())) {
      Instant now = clock.instant();
      if (!now.isBefore(deadline)) {
        break;
      }
      Instant next = now.plus(pause);
      if (retryAfter != null && retryAfter.isAfter(next)) {
        next = retryAfter;
      }
      sleep(Duration.between(now, next.isAfter(deadline) ? deadline : next));
      pause = pause.multipliedBy(2).compareTo(MAX_POLL) > 0 ? MAX_POLL : pause.multipliedBy(2);
      retryAfter = resource.fetch().orElse(null);
    }
    return resource.getStatus();
  }

  /** Revokes through the account that ordered it; revoked already is not an error. */
  @Override
  public void revoke(X509Certificate certificate, RevocationReason reason) {
    String what = "revoke serial " + certificate.getSerialNumber().toString(16) + " at " + config.directory();
    Connection c = connection();
    try {
      Certificate.revoke(login(c), certificate, org.shredzone.acme4j.RevocationReason.code(reason.code()));
    } catch (AcmeServerException e) {
      if (!e.getType().toString().endsWith(":alreadyRevoked")) {
        throw failure(what, e);
      }
    } catch (AcmeException e) {
      throw failure(what, e);
    }
  }

  /** The account, registered (accepting the directory's terms of service) on first use. */
  private Login login(Connection c) throws AcmeException {
    Login current = login;
    if (current != null) {
      return current;
    }
    synchronized (this) {
      if (login == null) {
        KeyPair key = AccountKey.loadOrCreate(config.accountKeyFile());
        AccountBuilder account = new AccountBuilder().agreeToTermsOfService().useKeyPair(key);
        if (config.email() != null) {
          account.addEmail(config.email());
        }
        String terms = c.session().getMetadata().getTermsOfService().map(Object::toString).orElse("none published");
        login = account.createLogin(c.session());
        log.info("ACME account {} at {} (key {}; terms of service accepted: {})", login.getAccountLocation(),
            config.directory(), config.accountKeyFile(), terms);
      }
      return login;
    }
  }

  /** Trust and session, made on first use: a worker starts while its CA is down. */
  private Connection connection() {
    Connection current = connection;
    if (current == null) {
      synchronized (this) {
        if (connection == null) {
          AcmeTrust trust = AcmeTrust.of(config);
          connection = new Connection(new Session(config.directory(), new TlsAcmeProvider(trust.tls())), trust,
              new AnswerCheck(trust.root()));
        }
        current = connection;
      }
    }
    return current;
  }

  private static List<Identifier> identifiers(List<String> sans) {
    return sans.stream().map(san -> SubjectNames.isIpAddress(san) ? Identifier.ip(san) : Identifier.dns(san))
        .toList();
  }

  private static byte[] csr(IssueRequest request) {
    try {
      return request.csr().getEncoded();
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

  private static boolean accountGone(AcmeException e) {
    return e instanceof AcmeUnauthorizedException
        || e instanceof AcmeServerException server && server.getType().toString().endsWith(":accountDoesNotExist");
  }

  /** What an ACME error means for the workflow: refused (a change is needed) or unavailable (a retry may do). */
  static RuntimeException failure(String what, AcmeException e) {
    if (e instanceof AcmeRateLimitedException limited) {
      return new IssuerBusyException(what + ": rate limited" + limited.getRetryAfter()
          .map(at -> " until " + at).orElse("") + ": " + describe(Optional.of(limited.getProblem())),
          limited.getRetryAfter().map(at -> java.time.Duration.between(java.time.Instant.now(), at)).orElse(null), e);
    }
    if (e instanceof AcmeUserActionRequiredException action) {
      return rejected(what + ": the CA wants a person to act first: " + describe(Optional.of(action.getProblem()))
          + action.getTermsOfServiceUri().map(tos -> " (terms of service: " + tos + ")").orElse(""), e);
    }
    if (e instanceof AcmeServerException server) {
      String type = server.getType().toString();
      if (type.endsWith(":serverInternal") || type.endsWith(":badNonce")) {
        return new IssuerUnavailableException(what + ": the CA failed: " + describe(Optional.of(server.getProblem()))
            + "; it will be retried", e);
      }
      return rejected(what + ": the CA refused: " + describe(Optional.of(server.getProblem())), e);
    }
    return new IssuerUnavailableException(what + ": " + e.getMessage()
        + (e.getCause() == null ? "" : " (" + e.getCause() + ")") + "; it will be retried", e);
  }

  private static IssuerRejectedException rejected(String message, Throwable cause) {
    IssuerRejectedException rejected = new IssuerRejectedException(message);
    rejected.initCause(cause);
    return rejected;
  }

  /** "detail [type]", as the CA wrote it. */
  static String describe(Optional<Problem> problem) {
    return problem.map(p -> p.getDetail().orElse(p.getTitle().orElse("no detail")) + " [" + p.getType() + "]")
        .orElse("no reason given");
  }

  private static void sleep(Duration pause) {
    try {
      Thread.sleep(Math.max(0, pause.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IssuerUnavailableException("interrupted while waiting for the ACME CA", e);
    }
  }
}
