package ai.thinkheads.phoenix.certs.workflows.coordination;

/** How the reload that served request {@code id} went: {@code failureType} and {@code error} null when it worked. */
public record ReloadOutcome(String id, String failureType, String error) {

  public boolean ok() {
    return error == null;
  }
}
