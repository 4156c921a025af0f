package ai.thinkheads.phoenix.certs.worker;

import ai.thinkheads.phoenix.certs.worker.cli.CheckCommand;
import ai.thinkheads.phoenix.certs.worker.cli.DevCommand;
import ai.thinkheads.phoenix.certs.worker.cli.RunCommand;
import io.micronaut.configuration.picocli.PicocliRunner;
import picocli.CommandLine.Command;

/** The worker's entry point: {@code dev} (everything embedded), {@code run} (a real Temporal), {@code check}. */
@Command(name = "phoenix-certs-worker", mixinStandardHelpOptions = true,
    description = "Durable certificate lifecycle engine for a Proxmox VE estate, on Temporal.",
    subcommands = {DevCommand.class, RunCommand.class, CheckCommand.class})
public class WorkerCommand implements Runnable {

  public static void main(String[] args) {
    System.exit(PicocliRunner.execute(WorkerCommand.class, args));
  }

  @Override
  public void run() {
    System.err.println("say what to do: dev, run or check (--help lists them)");
  }
}
