package ai.thinkheads.phoenix.certs.worker.cli;

import ai.thinkheads.phoenix.certs.activities.plugin.PluginRegistry;
import ai.thinkheads.phoenix.certs.worker.inventory.Inventory;
import ai.thinkheads.phoenix.certs.worker.inventory.InventoryException;
import ai.thinkheads.phoenix.certs.worker.inventory.InventoryLoader;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Validates an inventory without starting anything: every problem with file, line, field and reason. */
@Command(name = "check", mixinStandardHelpOptions = true, description = "Validate an inventory file.")
public class CheckCommand implements Callable<Integer> {

  @Inject
  PluginRegistry plugins;

  @Parameters(index = "0", description = "inventory file")
  Path inventory;

  @Override
  public Integer call() {
    try {
      Inventory valid = new InventoryLoader(plugins).load(inventory);
      System.out.printf("%s: ok: CA %s, %d guests, %d certificates%n", inventory, valid.ca().type(),
          valid.guests().size(), valid.certificates().size());
      return ExitCodes.OK;
    } catch (InventoryException e) {
      System.err.println(e.getMessage());
      return ExitCodes.BAD_INVENTORY;
    }
  }
}
