package ai.thinkheads.phoenix.certs.starter;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The operator's CLI: inspects (and later starts) workflows on the embedded server or any Temporal. */
@Command(name = "phoenix-certs", mixinStandardHelpOptions = true,
    description = "Inspect and drive phoenix-certs workflows on Temporal.",
    subcommands = {StatusCommand.class},
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:every certificate is live and its last attempt succeeded",
      "1:a certificate failed, was rolled back, or is not running",
      "2:bad arguments",
      "3:Temporal cannot be reached"})
public class PhoenixCertsCli implements Runnable {

  public static void main(String[] args) {
    System.exit(new CommandLine(new PhoenixCertsCli()).execute(args));
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.err);
  }
}
