package ai.thinkheads.phoenix.certs.workflows.certificate;

import java.time.Instant;

/**
 * What an operator asks of a certificate: what is live, when it renews next, and how the last attempt went.
 * Carried across continue-as-new so that it survives every run.
 *
 * @param note what the last attempt did that is not an error but worth knowing (e.g. it went ahead without
 *     waiting for a certificate it comes after, and why); null when there is nothing to say, and in statuses
 *     written before it existed
 */
public record CertificateStatus(
    String name,
    String guestId,
    String serial,
    Instant notAfter,
    Instant nextRenewal,
    String phase,
    Outcome lastOutcome,
    String lastError,
    Instant lastAttempt,
    int renewals,
    int consecutiveFailures,
    String note) {

  public enum Outcome {
    NONE,
    ISSUED,
    RENEWED,
    UNCHANGED,
    FAILED,
    ROLLED_BACK
  }

  public static CertificateStatus initial(String name, String guestId) {
    return new CertificateStatus(name, guestId, null, null, null, "starting", Outcome.NONE, null, null, 0, 0, null);
  }

  public CertificateStatus withGuest(String newGuestId) {
    return new CertificateStatus(name, newGuestId, serial, notAfter, nextRenewal, phase, lastOutcome, lastError,
        lastAttempt, renewals, consecutiveFailures, note);
  }

  public CertificateStatus withPhase(String newPhase) {
    return new CertificateStatus(name, guestId, serial, notAfter, nextRenewal, newPhase, lastOutcome, lastError,
        lastAttempt, renewals, consecutiveFailures, note);
  }

  public CertificateStatus withLive(String newSerial, Instant newNotAfter) {
    return new CertificateStatus(name, guestId, newSerial, newNotAfter, nextRenewal, phase, lastOutcome, lastError,
        lastAttempt, renewals, consecutiveFailures, note);
  }

  public CertificateStatus withNextRenewal(Instant next) {
    return new CertificateStatus(name, guestId, serial, notAfter, next, phase, lastOutcome, lastError, lastAttempt,
        renewals, consecutiveFailures, note);
  }

  public CertificateStatus succeeded(Outcome outcome, Instant at) {
    int count = outcome == Outcome.RENEWED || outcome == Outcome.ISSUED ? renewals + 1 : renewals;
    return new CertificateStatus(name, guestId, serial, notAfter, nextRenewal, phase, outcome, null, at, count, 0,
        note);
  }

  public CertificateStatus failed(Outcome outcome, String error, Instant at) {
    return new CertificateStatus(name, guestId, serial, notAfter, nextRenewal, phase, outcome, error, at, renewals,
        consecutiveFailures + 1, note);
  }

  public CertificateStatus withNote(String newNote) {
    return new CertificateStatus(name, guestId, serial, notAfter, nextRenewal, phase, lastOutcome, lastError,
        lastAttempt, renewals, consecutiveFailures, newNote);
  }
}
