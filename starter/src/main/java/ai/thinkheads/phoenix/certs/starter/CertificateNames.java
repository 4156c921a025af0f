package ai.thinkheads.phoenix.certs.starter;

import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Which certificates exist: the running {@code CertificateWorkflow}s as Temporal's visibility lists them, or,
 * where the server has no visibility (the embedded dev server), the names in the inventory file.
 */
final class CertificateNames {

  private static final String QUERY = "WorkflowType = '" + CertificateWorkflow.TYPE + "' AND ExecutionStatus = 'Running'";

  private CertificateNames() {}

  static List<String> find(WorkflowClient client, Optional<Path> inventory, Optional<Path> fallback) {
    if (inventory.isPresent()) {
      return fromInventory(inventory.get());
    }
    try {
      TreeSet<String> names = new TreeSet<>();
      client.listExecutions(QUERY).forEach(execution -> {
        String id = execution.getExecution().getWorkflowId();
        if (id.startsWith("cert/")) {
          names.add(id.substring("cert/".length()));
        }
      });
      return new ArrayList<>(names);
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
        if (fallback.isPresent()) {
          return fromInventory(fallback.get());
        }
        throw new IllegalArgumentException("this Temporal server cannot list workflows (the embedded dev server "
            + "has no visibility); name the inventory with --inventory or PHOENIX_INVENTORY");
      }
      throw e;
    }
  }

  static List<String> fromInventory(Path file) {
    try {
      JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
      List<String> names = new ArrayList<>();
      if (root != null) {
        root.path("certificates").forEach(c -> {
          if (c.hasNonNull("name")) {
            names.add(c.get("name").asText());
          }
        });
      }
      return names;
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read inventory " + file + ": " + e.getMessage());
    }
  }
}
