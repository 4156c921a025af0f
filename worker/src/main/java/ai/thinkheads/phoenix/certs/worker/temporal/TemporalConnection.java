package ai.thinkheads.phoenix.certs.worker.temporal;

import com.uber.m3.tally.Scope;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.envconfig.ClientConfigProfile;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client to Temporal: the server Temporal's standard client configuration names (TEMPORAL_ADDRESS,
 * TEMPORAL_NAMESPACE, the TLS variables, temporal.toml profiles), or, when none is named, an embedded dev
 * server on loopback whose histories live in memory only.
 */
public final class TemporalConnection implements Closeable {

  private static final Logger log = LoggerFactory.getLogger(TemporalConnection.class);
  public static final int DEFAULT_EMBEDDED_PORT = 7233;

  private final WorkflowServiceStubs stubs;
  private final WorkflowClient client;
  private final LoopbackTestServer embedded;
  private final String description;
  /** The SDK's meters (worker and client) go through it; null: none. */
  private final Scope metrics;

  private TemporalConnection(WorkflowServiceStubs stubs, WorkflowClient client,
      LoopbackTestServer embedded, String description, Scope metrics) {
    this.stubs = stubs;
    this.client = client;
    this.embedded = embedded;
    this.description = description;
    this.metrics = metrics;
  }

  /** The configured server, or an embedded one on {@code embeddedPort} when no address is configured. */
  public static TemporalConnection open(int embeddedPort, boolean forceEmbedded) {
    return open(embeddedPort, forceEmbedded, null);
  }

  /** The same, reporting the SDK's meters (the worker's and the client's) to {@code metrics} (null: nowhere). */
  public static TemporalConnection open(int embeddedPort, boolean forceEmbedded, Scope metrics) {
    ClientConfigProfile profile = loadProfile();
    if (forceEmbedded || profile.getAddress() == null) {
      return embedded(embeddedPort, metrics);
    }
    WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(
        withMetrics(profile.toWorkflowServiceStubsOptions(), metrics));
    WorkflowClientOptions clientOptions = profile.toWorkflowClientOptions();
    WorkflowClient client = WorkflowClient.newInstance(stubs, clientOptions);
    String namespace = clientOptions.getNamespace() == null ? "default" : clientOptions.getNamespace();
    log.info("Temporal: {} namespace {}{}", profile.getAddress(), namespace,
        profile.getTls() != null ? " (TLS)" : "");
    return new TemporalConnection(stubs, client, null, profile.getAddress() + " namespace " + namespace, metrics);
  }

  /**
   * Starts the embedded dev server on the loopback address at {@code port}, with time skipping locked: timers
   * run on the wall clock.
   */
  public static TemporalConnection embedded(int port) {
    return embedded(port, null);
  }

  /** The same, reporting the SDK's meters to {@code metrics} (null: nowhere). */
  public static TemporalConnection embedded(int port, Scope metrics) {
    LoopbackTestServer server = LoopbackTestServer.start(port);
    String target = server.target();
    WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(
        withMetrics(WorkflowServiceStubsOptions.newBuilder().setTarget(target).build(), metrics));
    WorkflowClient client = WorkflowClient.newInstance(stubs);
    log.warn("Temporal: embedded dev server on {}. Histories live in memory only and are lost when this process "
        + "stops; set TEMPORAL_ADDRESS (or a temporal.toml profile) to use a durable Temporal.", target);
    return new TemporalConnection(stubs, client, server, "embedded dev server " + target, metrics);
  }

  private static WorkflowServiceStubsOptions withMetrics(WorkflowServiceStubsOptions options, Scope metrics) {
    return metrics == null ? options : WorkflowServiceStubsOptions.newBuilder(options).setMetricsScope(metrics).build();
  }

  private static ClientConfigProfile loadProfile() {
    try {
      return ClientConfigProfile.load();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the Temporal client configuration: " + e.getMessage(), e);
    }
  }

  public WorkflowClient client() {
    return client;
  }

  public boolean isEmbedded() {
    return embedded != null;
  }

  public String describe() {
    return description;
  }

  @Override
  public void close() {
    stubs.shutdown();
    stubs.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
    if (embedded != null) {
      embedded.close();
    }
    if (metrics != null) {
      try {
        metrics.close();
      } catch (com.uber.m3.tally.ScopeCloseException e) {
        log.debug("closing the metrics scope: {}", e.toString());
      }
    }
  }
}
