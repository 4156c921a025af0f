package ai.thinkheads.phoenix.certs.starter;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.envconfig.ClientConfigProfile;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import picocli.CommandLine.Option;

/**
 * Where Temporal is: Temporal's standard client configuration (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TLS
 * variables, temporal.toml profiles), overridable by flags; the embedded dev server's 127.0.0.1:7233 when
 * nothing is configured.
 */
final class TemporalOptions {

  static final String DEV_SERVER = "127.0.0.1:7233";

  @Option(names = "--address", description = "Temporal frontend host:port (default: TEMPORAL_ADDRESS, profile, "
      + DEV_SERVER + ")")
  String address;

  @Option(names = "--namespace", description = "Temporal namespace (default: TEMPORAL_NAMESPACE, profile, default)")
  String namespace;

  WorkflowClient connect() {
    ClientConfigProfile profile;
    try {
      profile = ClientConfigProfile.load();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the Temporal client configuration: " + e.getMessage(), e);
    }
    WorkflowServiceStubsOptions.Builder stubs = WorkflowServiceStubsOptions.newBuilder(
        profile.toWorkflowServiceStubsOptions());
    String target = address != null ? address : profile.getAddress() != null ? profile.getAddress() : DEV_SERVER;
    stubs.setTarget(target);
    WorkflowClientOptions.Builder client = WorkflowClientOptions.newBuilder(profile.toWorkflowClientOptions());
    if (namespace != null) {
      client.setNamespace(namespace);
    }
    return WorkflowClient.newInstance(WorkflowServiceStubs.newServiceStubs(stubs.build()), client.build());
  }
}
