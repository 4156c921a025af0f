package ai.thinkheads.phoenix.certs.starter;

/** Exit codes of the CLI, documented in its --help. */
final class ExitCodes {
  static final int OK = 0;
  static final int ATTENTION = 1;
  static final int USAGE = 2;
  static final int TEMPORAL_UNAVAILABLE = 3;

  private ExitCodes() {}
}
