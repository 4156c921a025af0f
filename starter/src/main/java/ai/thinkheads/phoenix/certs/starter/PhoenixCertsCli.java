package ai.thinkheads.phoenix.certs.starter;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The operator's CLI. Certificates are read and driven through Temporal directly; guests go through the
 * worker's events endpoint, which holds the inventory (how to reach each guest).
 */
@Command(name = "phoenix-certs", mixinStandardHelpOptions = true,
    description = "Inspect and drive phoenix-certs workflows on Temporal.",
    subcommands = {StatusCommand.class, DescribeCommand.class, RenewCommand.class, OnboardCommand.class,
        GuestEventCommand.class, InventoryCommand.class, AuditCommand.class, CaCommand.class},
    exitCodeListHeading = "Exit codes (each command's --help says what they mean for it):%n",
    exitCodeList = {
      "0:all good: done, or every certificate live and its last attempt succeeded",
      "1:needs attention: a renewal or onboarding failed or was rolled back, a certificate is not running, "
          + "the worker rejected the guest",
      "2:bad arguments, file or token; an invalid inventory",
      "3:Temporal or the worker cannot be reached"})
public class PhoenixCertsCli implements Runnable {

  public static void main(String[] args) {
    System.exit(new CommandLine(new PhoenixCertsCli()).execute(args));
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.err);
  }
}
