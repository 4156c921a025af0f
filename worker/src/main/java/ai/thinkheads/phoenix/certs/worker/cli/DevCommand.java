package ai.thinkheads.phoenix.certs.worker.cli;

import ai.thinkheads.phoenix.certs.worker.temporal.TemporalConnection;
import io.micronaut.context.ApplicationContext;
import ai.thinkheads.phoenix.certs.workflows.model.Durations;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Everything on one machine: embedded Temporal, the local CA, the demo inventory, a live status table. */
@Command(name = "dev", mixinStandardHelpOptions = true,
    description = "Run worker + embedded Temporal dev server + local CA on the demo inventory; Ctrl-C stops.")
public class DevCommand implements Callable<Integer> {

  @Inject
  ApplicationContext context;

  @Option(names = "--inventory", defaultValue = "examples/demo.yaml", description = "inventory file (${DEFAULT-VALUE})")
  Path inventory;

  @Option(names = "--temporal-port", defaultValue = "" + TemporalConnection.DEFAULT_EMBEDDED_PORT,
      description = "port of the embedded Temporal dev server on 127.0.0.1 (${DEFAULT-VALUE})")
  int port;

  @Option(names = "--reconcile-every", defaultValue = "1m",
      description = "how often the inventory file is re-read and applied (${DEFAULT-VALUE})")
  String reconcileEvery;

  @Override
  public Integer call() {
    return EngineRunner.run(context, inventory, port, true, true, Durations.require(reconcileEvery, "--reconcile-every"));
  }
}
