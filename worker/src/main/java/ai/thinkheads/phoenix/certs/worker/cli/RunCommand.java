package ai.thinkheads.phoenix.certs.worker.cli;

import ai.thinkheads.phoenix.certs.worker.temporal.TemporalConnection;
import io.micronaut.context.ApplicationContext;
import ai.thinkheads.phoenix.certs.workflows.model.Durations;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The worker against the Temporal that the standard client configuration names (embedded when none is). */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run the worker on an inventory against Temporal (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, "
        + "TEMPORAL_TLS_*, temporal.toml profiles); with no address configured, an embedded dev server.")
public class RunCommand implements Callable<Integer> {

  @Inject
  ApplicationContext context;

  @Option(names = "--inventory", required = true, defaultValue = "${env:PHOENIX_INVENTORY}",
      description = "inventory file (default: $PHOENIX_INVENTORY)")
  Path inventory;

  @Option(names = "--embedded-port", defaultValue = "" + TemporalConnection.DEFAULT_EMBEDDED_PORT,
      description = "port of the embedded dev server when no Temporal address is configured (${DEFAULT-VALUE})")
  int port;

  @Option(names = "--status-table", description = "print the status table whenever it changes")
  boolean board;

  @Option(names = "--reconcile-every", defaultValue = "5m",
      description = "how often the inventory file is re-read and applied (${DEFAULT-VALUE})")
  String reconcileEvery;

  @Override
  public Integer call() {
    return EngineRunner.run(context, inventory, port, false, board, Durations.require(reconcileEvery, "--reconcile-every"));
  }
}
