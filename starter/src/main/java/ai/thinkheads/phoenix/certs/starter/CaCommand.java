package ai.thinkheads.phoenix.certs.starter;

import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import ai.thinkheads.phoenix.certs.workflows.rotation.RotationPhase;
import ai.thinkheads.phoenix.certs.workflows.rotation.RotationProgress;
import ai.thinkheads.phoenix.certs.workflows.rotation.RotationRequest;
import ai.thinkheads.phoenix.certs.workflows.rotation.RotationTarget;
import ai.thinkheads.phoenix.certs.workflows.rotation.RotationWorkflow;
import ai.thinkheads.phoenix.certs.workflows.status.PromptQuery;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowQueryException;
import io.temporal.client.WorkflowServiceException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ca rotate|status|pause|resume|abort|retire-now}: the CA rotation, {@code ca/rotation}. Every command sends
 * names and intents only; which CAs the rotation moves between comes from the worker's own inventory.
 */
@Command(name = "ca", mixinStandardHelpOptions = true,
    description = "Rotate the estate's CA (root or intermediate) and follow the rotation.",
    subcommands = {CaCommand.Rotate.class, CaCommand.Status.class, CaCommand.Pause.class, CaCommand.Resume.class,
        CaCommand.Abort.class, CaCommand.RetireNow.class})
public class CaCommand implements Runnable {

  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.err);
  }

  static RotationWorkflow rotation(WorkflowClient client) {
    return client.newWorkflowStub(RotationWorkflow.class, RotationWorkflow.WORKFLOW_ID);
  }

  static void print(RotationProgress progress) {
    System.out.println("ca/rotation to " + progress.to().name().toLowerCase() + ": " + progress.summary());
    if (progress.fromRoot() != null) {
      System.out.println("  root " + progress.fromRoot() + " -> " + progress.toRoot());
    }
    for (String waiting : progress.waiting()) {
      System.out.println("  waiting: " + waiting);
    }
  }

  /** Runs {@code body} against Temporal with the CLI's exit codes. */
  static int withTemporal(TemporalOptions temporal, String command, TemporalCall body) {
    try {
      return body.call(temporal.connect());
    } catch (WorkflowNotFoundException e) {
      System.err.println("phoenix-certs ca " + command + ": no CA rotation (ca/rotation) has run; start one with "
          + "phoenix-certs ca rotate --to next|current");
      return ExitCodes.ATTENTION;
    } catch (StatusRuntimeException | WorkflowServiceException e) {
      System.err.println("phoenix-certs ca " + command + ": cannot reach Temporal: " + e.getMessage());
      return ExitCodes.TEMPORAL_UNAVAILABLE;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCodes.ATTENTION;
    }
  }

  interface TemporalCall {
    int call(WorkflowClient client) throws InterruptedException;
  }

  /** Follows the rotation until it is done (0) or aborted (1), printing each change. */
  static int follow(RotationWorkflow workflow, Duration timeout) throws InterruptedException {
    String last = null;
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      RotationProgress now;
      try {
        now = PromptQuery.answer(workflow::progress);
      } catch (WorkflowQueryException notYet) {
        Thread.sleep(1000);
        continue;
      }
      String seen = now.summary() + now.waiting();
      if (!Objects.equals(seen, last)) {
        last = seen;
        print(now);
      }
      if (now.phase() == RotationPhase.DONE) {
        return ExitCodes.OK;
      }
      if (now.phase() == RotationPhase.ABORTED) {
        return ExitCodes.ATTENTION;
      }
      Thread.sleep(1000);
    }
    System.err.println("phoenix-certs ca rotate: not done after " + timeout + "; it goes on: phoenix-certs ca status");
    return ExitCodes.ATTENTION;
  }

  @Command(name = "rotate", mixinStandardHelpOptions = true,
      description = "Start the rotation to the inventory's next CA (--to next: ca: -> ca.next:) or to its current "
          + "one (--to current: ca.previous: -> ca:): overlap (every guest trusts both roots), re-issue (every "
          + "certificate renewed from the new CA), retire (after the grace period the old root is removed). "
          + "With a rotation running, --retire-now ends its grace period.",
      exitCodeListHeading = "Exit codes:%n",
      exitCodeList = {
        "0:started (with --wait: done, the old root retired)",
        "1:with --wait: aborted, or not done in time; a rotation is already running",
        "2:bad arguments",
        "3:Temporal cannot be reached"})
  static class Rotate implements Callable<Integer> {

    @Mixin
    TemporalOptions temporal = new TemporalOptions();

    @Option(names = "--to", required = true, description = "next (the inventory's ca.next) or current (the "
        + "inventory's ca:, replacing ca.previous)")
    String to;

    @Option(names = "--wait", description = "follow the rotation until it is done")
    boolean wait;

    @Option(names = "--retire-now", description = "retire the old root as soon as every certificate is on the new "
        + "CA (no grace period)")
    boolean retireNow;

    @Option(names = "--grace", defaultValue = "P7D", description = "how long the old root stays trusted after "
        + "every certificate moved, ISO-8601 (${DEFAULT-VALUE})")
    Duration grace;

    @Option(names = "--concurrency", defaultValue = "4", description = "guests onboarded and certificates "
        + "re-issued at once (${DEFAULT-VALUE})")
    int concurrency;

    @Option(names = "--guest-wait", defaultValue = "PT2M", description = "how long the overlap waits for every "
        + "guest before re-issuing goes ahead without the ones that do not answer; they are retried and hold up "
        + "only retiring, ISO-8601 (${DEFAULT-VALUE})")
    Duration guestWait;

    @Option(names = "--timeout", defaultValue = "PT1H", description = "how long --wait waits (${DEFAULT-VALUE})")
    Duration timeout;

    @Override
    public Integer call() {
      RotationTarget target;
      try {
        target = RotationTarget.parse(to);
      } catch (IllegalArgumentException e) {
        System.err.println("phoenix-certs ca rotate: " + e.getMessage());
        return ExitCodes.USAGE;
      }
      return withTemporal(temporal, "rotate", client -> {
        RotationWorkflow workflow = client.newWorkflowStub(RotationWorkflow.class, WorkflowOptions.newBuilder()
            .setWorkflowId(RotationWorkflow.WORKFLOW_ID).setTaskQueue(CertificateWorkflow.TASK_QUEUE)
            .setStaticSummary("Rotate the CA to the inventory's " + target.name().toLowerCase()).build());
        try {
          WorkflowClient.start(workflow::rotate, new RotationRequest(target, "phoenix-certs ca rotate", grace,
              retireNow, concurrency, guestWait));
          System.out.println("ca/rotation started: to the inventory's " + target.name().toLowerCase() + " CA"
              + (retireNow ? ", retiring the old root as soon as every certificate moved" : ", grace " + grace));
        } catch (WorkflowExecutionAlreadyStarted running) {
          RotationWorkflow existing = rotation(client);
          if (retireNow) {
            existing.retireNow();
            System.out.println("ca/rotation is running: asked to retire the old root as soon as it can");
          } else {
            print(PromptQuery.answer(existing::progress));
            System.err.println("phoenix-certs ca rotate: a rotation is already running (ca pause|resume|abort|"
                + "retire-now act on it)");
            return wait ? follow(existing, timeout) : ExitCodes.ATTENTION;
          }
          return wait ? follow(existing, timeout) : ExitCodes.OK;
        }
        return wait ? follow(rotation(client), timeout) : ExitCodes.OK;
      });
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true,
      description = "The rotation's phase and progress: guests done/total, certificates done/total, what waits.",
      exitCodeListHeading = "Exit codes:%n",
      exitCodeList = {"0:done or going well", "1:something waits (a guest down, a certificate not moved), the "
          + "rotation was aborted, or none has run", "3:Temporal cannot be reached"})
  static class Status implements Callable<Integer> {

    @Mixin
    TemporalOptions temporal = new TemporalOptions();

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    public Integer call() {
      return withTemporal(temporal, "status", client -> {
        RotationProgress progress = PromptQuery.answer(rotation(client)::progress);
        if (json) {
          try {
            System.out.println(new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).writeValueAsString(progress));
          } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
          }
        } else {
          print(progress);
        }
        return progress.waiting().isEmpty() && progress.phase() != RotationPhase.ABORTED ? ExitCodes.OK
            : ExitCodes.ATTENTION;
      });
    }
  }

  /** A signal with no argument to {@code ca/rotation}. */
  abstract static class Signal implements Callable<Integer> {

    @Mixin
    TemporalOptions temporal = new TemporalOptions();

    abstract String name();

    abstract Consumer<RotationWorkflow> signal();

    abstract String done();

    @Override
    public Integer call() {
      return withTemporal(temporal, name(), client -> {
        signal().accept(rotation(client));
        System.out.println("ca/rotation: " + done());
        return ExitCodes.OK;
      });
    }
  }

  @Command(name = "pause", mixinStandardHelpOptions = true,
      description = "Start nothing new (steps under way finish) until ca resume.")
  static class Pause extends Signal {
    String name() {
      return "pause";
    }

    Consumer<RotationWorkflow> signal() {
      return RotationWorkflow::pause;
    }

    String done() {
      return "pausing";
    }
  }

  @Command(name = "resume", mixinStandardHelpOptions = true, description = "Go on after ca pause.")
  static class Resume extends Signal {
    String name() {
      return "resume";
    }

    Consumer<RotationWorkflow> signal() {
      return RotationWorkflow::resume;
    }

    String done() {
      return "resuming";
    }
  }

  @Command(name = "abort", mixinStandardHelpOptions = true,
      description = "Stop before retiring: the old CA issues again, both roots stay trusted (ignored once the old "
          + "root is being removed).")
  static class Abort extends Signal {
    String name() {
      return "abort";
    }

    Consumer<RotationWorkflow> signal() {
      return RotationWorkflow::abort;
    }

    String done() {
      return "aborting (see ca status)";
    }
  }

  @Command(name = "retire-now", mixinStandardHelpOptions = true,
      description = "End the grace period: retire the old root as soon as every certificate is on the new CA.")
  static class RetireNow extends Signal {
    String name() {
      return "retire-now";
    }

    Consumer<RotationWorkflow> signal() {
      return RotationWorkflow::retireNow;
    }

    String done() {
      return "retiring the old root as soon as every certificate moved";
    }
  }
}
