package ai.thinkheads.phoenix.certs.activities.steps;

/** Checks a service's configuration with the new pair in place; throws {@link StepFailedException} on "no". */
public interface Validator extends Step {

  String validate(StepContext context);
}
