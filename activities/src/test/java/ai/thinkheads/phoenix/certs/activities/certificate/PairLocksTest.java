package ai.thinkheads.phoenix.certs.activities.certificate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.activities.issuer.LocalCaIssuer;
import ai.thinkheads.phoenix.certs.activities.plugin.PluginRegistry;
import ai.thinkheads.phoenix.certs.activities.steps.CommandStep;
import ai.thinkheads.phoenix.certs.activities.steps.ReadbackVerifier;
import ai.thinkheads.phoenix.certs.activities.testing.LocalStack;
import ai.thinkheads.phoenix.certs.activities.testing.SpecSteps;
import ai.thinkheads.phoenix.certs.activities.testing.TestEstate;
import ai.thinkheads.phoenix.certs.activities.transport.ExecResult;
import ai.thinkheads.phoenix.certs.activities.transport.FileAttributes;
import ai.thinkheads.phoenix.certs.activities.transport.LocalTransport;
import ai.thinkheads.phoenix.certs.activities.transport.Transport;
import ai.thinkheads.phoenix.certs.activities.transport.TransportFactory;
import ai.thinkheads.phoenix.certs.workflows.certificate.ActivationResult;
import ai.thinkheads.phoenix.certs.workflows.certificate.StagedCertificate;
import ai.thinkheads.phoenix.certs.workflows.certificate.StepResult;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;
import ai.thinkheads.phoenix.certs.workflows.model.StepSpec;
import ai.thinkheads.phoenix.certs.workflows.model.TargetSpec;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two certificates of one guest, as when one nginx serves both: b's validate reads a's pair (nginx -t reads every
 * pair it names). While a's pair is half swapped (the key renamed, the certificate not yet: the transport pauses
 * there on purpose), b's validate must wait, then see a matching pair.
 */
class PairLocksTest {

  @TempDir
  Path dir;

  @Test
  void aValidateOnTheSameGuestNeverSeesAHalfSwappedPair() throws Exception {
    LocalCaIssuer issuer = LocalStack.issuer(dir, Clock.systemUTC());
    PausingSwaps swaps = new PausingSwaps();
    CommandStep command = new CommandStep();
    SpecSteps activities = new SpecSteps(new TestEstate(issuer), PluginRegistry.of(swaps, command,
        new ReadbackVerifier()));
    CertificateSpec a = LocalStack.spec(dir, "a", Duration.ofHours(1));
    CertificateSpec b = withValidate(LocalStack.spec(dir, "b", Duration.ofHours(1)), new StepSpec("command",
        List.of("sh", "-c", "[ \"$(openssl x509 -noout -pubkey -in \"$1\")\" = \"$(openssl pkey -pubout -in \"$2\")\" ]",
            "same-key", a.files().cert(), a.files().key()), Map.of()));
    activities.activate(a, activities.issueAndStage(a));
    StagedCertificate next = activities.issueAndStage(a);

    swaps.pauseNext();
    CompletableFuture<ActivationResult> swap = CompletableFuture.supplyAsync(() -> activities.activate(a, next));
    assertTrue(swaps.paused.await(10, TimeUnit.SECONDS), "the swap reached its pause");
    StepResult validated = activities.validate(b); // fails on a mismatched pair
    assertEquals("validate", validated.step());
    assertEquals(next.serial(), swap.get(10, TimeUnit.SECONDS).activeSerial());
    assertTrue(swaps.resumedBeforeValidateReturned, "validate ran only after the swap had finished");
  }

  private static CertificateSpec withValidate(CertificateSpec s, StepSpec validate) {
    return new CertificateSpec(s.name(), s.target(), s.issuer(), s.commonName(), s.sans(), s.key(), s.usages(),
        s.lifetime(), s.renewAt(), s.renewBefore(), s.files(), validate, s.reload(), s.verify(), s.after());
  }

  /** Local files, but a pair swap can be told to pause between the key and the certificate. */
  static final class PausingSwaps implements TransportFactory {
    final CountDownLatch paused = new CountDownLatch(1);
    volatile boolean pauseNext;
    volatile boolean resumedBeforeValidateReturned;

    void pauseNext() {
      pauseNext = true;
    }

    @Override
    public String type() {
      return "local";
    }

    @Override
    public Transport open(TargetSpec target) {
      LocalTransport local = new LocalTransport(target.guestId());
      return new Transport() {
        @Override
        public String describe() {
          return local.describe();
        }

        @Override
        public Optional<byte[]> read(String path) {
          return local.read(path);
        }

        @Override
        public boolean exists(String path) {
          return local.exists(path);
        }

        @Override
        public void write(String path, byte[] content, FileAttributes attributes) {
          local.write(path, content, attributes);
        }

        @Override
        public void rename(String from, String to) {
          local.rename(from, to);
        }

        @Override
        public void renamePair(String keyFrom, String keyTo, String certFrom, String certTo) {
          local.rename(keyFrom, keyTo);
          if (pauseNext) {
            pauseNext = false;
            paused.countDown();
            try {
              Thread.sleep(700); // long enough for the validate to start in the middle, if nothing holds it
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            resumedBeforeValidateReturned = true;
          }
          local.rename(certFrom, certTo);
        }

        @Override
        public void delete(String path) {
          local.delete(path);
        }

        @Override
        public ExecResult exec(List<String> argv, Duration timeout) {
          return local.exec(argv, timeout);
        }
      };
    }
  }
}
