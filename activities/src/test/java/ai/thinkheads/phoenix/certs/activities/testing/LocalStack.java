package ai.thinkheads.phoenix.certs.activities.testing;

import ai.thinkheads.phoenix.certs.activities.issuer.LocalCaIssuer;
import ai.thinkheads.phoenix.certs.activities.plugin.PluginRegistry;
import ai.thinkheads.phoenix.certs.activities.steps.CommandStep;
import ai.thinkheads.phoenix.certs.activities.steps.ReadbackVerifier;
import ai.thinkheads.phoenix.certs.activities.transport.LocalTransportFactory;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateFiles;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;
import ai.thinkheads.phoenix.certs.workflows.model.KeyAlgorithm;
import ai.thinkheads.phoenix.certs.workflows.model.KeyUsage;
import ai.thinkheads.phoenix.certs.workflows.model.StepSpec;
import ai.thinkheads.phoenix.certs.workflows.model.TargetSpec;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The local CA, the local transport and the built-in steps, wired as the worker wires them, for tests. */
public final class LocalStack {

  private LocalStack() {}

  public static LocalCaIssuer issuer(Path dir, Clock clock) {
    return new LocalCaIssuer(dir.resolve("ca"), "Test", clock);
  }

  public static PluginRegistry catalog() {
    return PluginRegistry.of(new LocalTransportFactory(), new CommandStep(), new ReadbackVerifier());
  }

  /** The steps on this machine, with {@code issuer} as the inventory's CA. */
  public static SpecSteps steps(LocalCaIssuer issuer) {
    return new SpecSteps(new TestEstate(issuer), catalog());
  }

  /** The same, judging answers at {@code clock}'s time (Temporal's, when the test skips time). */
  public static SpecSteps steps(LocalCaIssuer issuer, Clock clock) {
    return new SpecSteps(new TestEstate(issuer), catalog(), clock);
  }

  /** A certificate on this machine with its files under {@code dir}; reload touches {@code dir/reloaded}. */
  public static CertificateSpec spec(Path dir, String name, Duration lifetime) {
    return new CertificateSpec(name, new TargetSpec("local", "local/test", Map.of()), "local", name + ".test",
        List.of(name + ".test", "127.0.0.1"), KeyAlgorithm.ECDSA_P256, List.of(KeyUsage.SERVER), lifetime, 0, null,
        new CertificateFiles(dir.resolve(name + ".crt").toString(), dir.resolve(name + ".key").toString(), null,
            null, null, null),
        StepSpec.none(),
        new StepSpec("command", List.of("touch", dir.resolve("reloaded").toString()), Map.of()),
        new StepSpec("readback", List.of(), Map.of()), List.of());
  }
}
