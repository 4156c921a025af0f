package ai.thinkheads.phoenix.certs.worker.temporal;

import ai.thinkheads.phoenix.certs.workflows.model.SearchAttributes;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.common.SearchAttributeKey;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers our search attributes ({@link SearchAttributes#ALL}: CertName, GuestId, NotAfter, NextRenewal,
 * LastOutcome) where the server lets us (a self-hosted server or the dev server; a
 * hosted namespace may refuse: then runs simply go without them). Says whether they are usable.
 */
public final class SearchAttributeRegistrar {

  private static final Logger log = LoggerFactory.getLogger(SearchAttributeRegistrar.class);

  private SearchAttributeRegistrar() {}

  /** What is registered already; nothing known on a server that cannot list them (the dev server). */
  private static Set<String> existing(OperatorServiceStubs operator, String namespace) {
    try {
      return operator.blockingStub().listSearchAttributes(ListSearchAttributesRequest.newBuilder()
          .setNamespace(namespace).build()).getCustomAttributesMap().keySet();
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
        return Set.of();
      }
      throw e;
    }
  }

  public static boolean ensure(WorkflowClient client) {
    String namespace = client.getOptions().getNamespace();
    OperatorServiceStubs operator = OperatorServiceStubs.newServiceStubs(OperatorServiceStubsOptions.newBuilder()
        .setChannel(client.getWorkflowServiceStubs().getRawChannel()).validateAndBuildWithDefaults());
    try {
      Set<String> existing = existing(operator, namespace);
      Map<String, IndexedValueType> missing = new HashMap<>();
      for (SearchAttributeKey<?> key : SearchAttributes.ALL) {
        if (!existing.contains(key.getName())) {
          missing.put(key.getName(), key.getValueType());
        }
      }
      if (!missing.isEmpty()) {
        try {
          operator.blockingStub().addSearchAttributes(AddSearchAttributesRequest.newBuilder()
              .setNamespace(namespace).putAllSearchAttributes(missing).build());
          log.info("registered search attributes {} in namespace {}", missing.keySet(), namespace);
        } catch (StatusRuntimeException e) {
          if (e.getStatus().getCode() != Status.Code.ALREADY_EXISTS) {
            throw e;
          }
        }
      }
      return true;
    } catch (RuntimeException e) {
      log.warn("search attributes {} not available ({}); runs go without them",
          SearchAttributes.ALL.stream().map(SearchAttributeKey::getName).toList(), e.getMessage());
      return false;
    } finally {
      operator.shutdown();
    }
  }
}
