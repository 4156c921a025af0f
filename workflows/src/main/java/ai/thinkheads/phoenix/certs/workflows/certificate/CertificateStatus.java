package ai.thinkheads.phoenix.certs.workflows.certificate;

import java.time.Instant;

/**
 * What an operator asks of a certificate: what is live, when the next attempt is, and how the last attempt went.
 * Carried across continue-as-new so that it survives every run (and every worker restart).
 *
 * @param nextRenewal when the next attempt starts: the renewal point, or the end of the backoff after a failure
 * @param lastAttempt when the last attempt ended (succeeded, failed or rolled back)
 * @param failure the type of the last failure ({@code FailureType}), null after a success
 * @param note what the last attempt did that is not an error but worth knowing (e.g. it went ahead without
 *     waiting for a certificate it comes after, and why); null when there is nothing to say
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
    String note,
    String failure) {

  public enum Outcome {
    NONE,
    ISSUED,
    RENEWED,
    UNCHANGED,
    FAILED,
    ROLLED_BACK
  }

  public static CertificateStatus initial(String name, String guestId) {
    return new CertificateStatus(name, guestId, null, null, null, "starting", Outcome.NONE, null, null, 0, 0, null,
        null);
  }

  public CertificateStatus withGuest(String newGuestId) {
    return new CertificateStatus(name, newGuestId, serial, notAfter, nextRenewal, phase, lastOutcome, lastError,
        lastAttempt, renewals, consecutiveFailures, note, failure);
  }

  public CertificateStatus withPhase(String newPhase) {
    return new CertificateStatus(name, guestId, serial, notAfter, nextRenewal, newPhase, lastOutcome, lastError,
        lastAttempt, renewals, consecutiveFailures, note, failure);
  }

  public CertificateStatus withLive(String newSerial, Instant newNotAfter) {
    return new CertificateStatus(name, guestId, newSerial, newNotAfter, nextRenewal, phase, lastOutcome, lastError,
        lastAttempt, renewals, consecutiveFailures, note, failure);
  }

  public CertificateStatus withNextRenewal(Instant next) {
    return new CertificateStatus(name, guestId, serial, notAfter, next, phase, lastOutcome, lastError, lastAttempt,
        renewals, consecutiveFailures, note, failure);
  }

  public CertificateStatus succeeded(Outcome outcome, Instant at) {
    int count = outcome == Outcome.RENEWED || outcome == Outcome.ISSUED ? renewals + 1 : renewals;
    return new CertificateStatus(name, guestId, serial, notAfter, nextRenewal, phase, outcome, null, at, count, 0,
        note, null);
  }

  public CertificateStatus failed(Outcome outcome, String failureType, String error, Instant at) {
    return new CertificateStatus(name, guestId, serial, notAfter, nextRenewal, phase, outcome, error, at, renewals,
        consecutiveFailures + 1, note, failureType);
  }

  public CertificateStatus withNote(String newNote) {
    return new CertificateStatus(name, guestId, serial, notAfter, nextRenewal, phase, lastOutcome, lastError,
        lastAttempt, renewals, consecutiveFailures, newNote, failure);
  }

  /** Longest error or note text a memo carries: the table shows 60 characters, describe reads the history. */
  static final int MEMO_TEXT = 1000;

  /** This status as a memo carries it: long texts shortened, so a history full of failures stays small. */
  public CertificateStatus forMemo() {
    if (shorter(lastError) == lastError && shorter(note) == note) {
      return this;
    }
    return new CertificateStatus(name, guestId, serial, notAfter, nextRenewal, phase, lastOutcome,
        shorter(lastError), lastAttempt, renewals, consecutiveFailures, shorter(note), failure);
  }

  private static String shorter(String text) {
    return text == null || text.length() <= MEMO_TEXT ? text : text.substring(0, MEMO_TEXT - 1) + "…";
  }

  /** The last failure as the table and the CLI show it: "IssuerRejected: the CA's answer ...". */
  public String failureText() {
    return lastError == null ? null : failure == null ? lastError : failure + ": " + lastError;
  }
}
