package ai.thinkheads.phoenix.certs.worker.cli;

/** Exit codes of the worker's commands. */
public final class ExitCodes {
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int BAD_INVENTORY = 2;
  public static final int TEMPORAL_UNAVAILABLE = 3;
  /** The events endpoint cannot run as configured (token file, port). */
  public static final int BAD_CONFIG = 4;

  private ExitCodes() {}
}
