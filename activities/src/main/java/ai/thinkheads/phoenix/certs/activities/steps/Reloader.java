package ai.thinkheads.phoenix.certs.activities.steps;

/** Makes a service pick up its new pair; throws {@link StepFailedException} when the service refuses. */
public interface Reloader extends Step {

  String reload(StepContext context);
}
