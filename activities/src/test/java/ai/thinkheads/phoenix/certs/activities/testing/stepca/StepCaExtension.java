package ai.thinkheads.phoenix.certs.activities.testing.stepca;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a running {@link StepCaServer}: {@code @ExtendWith(StepCaExtension.class)} and a
 * {@code StepCaServer} parameter. One server per test run, kept in the root store, which closes it (stopping
 * the process by its PID) when the run ends.
 */
public final class StepCaExtension implements ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(StepCaExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == StepCaServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return server(context);
  }

  public static StepCaServer server(ExtensionContext context) {
    return context.getRoot().getStore(NAMESPACE)
        .getOrComputeIfAbsent(StepCaServer.class, k -> StepCaServer.launch(), StepCaServer.class);
  }
}
