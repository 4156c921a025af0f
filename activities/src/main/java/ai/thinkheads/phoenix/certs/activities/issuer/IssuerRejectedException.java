package ai.thinkheads.phoenix.certs.activities.issuer;

/** The CA refused the request for a reason a retry cannot change (a name or lifetime its policy forbids). */
public class IssuerRejectedException extends RuntimeException {
  public IssuerRejectedException(String message) {
    super(message);
  }
}
