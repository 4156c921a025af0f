package ai.thinkheads.phoenix.certs.activities.transport;

/** What a command run on a target returned. */
public record ExecResult(int exitCode, String stdout, String stderr) {

  public boolean succeeded() {
    return exitCode == 0;
  }

  /** The last lines of stderr (or stdout when stderr is empty), for an error message. */
  public String tail() {
    String text = (stderr == null || stderr.isBlank()) ? stdout : stderr;
    if (text == null) {
      return "";
    }
    text = text.strip();
    return text.length() <= 500 ? text : "..." + text.substring(text.length() - 500);
  }
}
