package ai.thinkheads.phoenix.certs.starter;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code guest-event <vmid> <phase>}: sends the event the Proxmox hookscript would send, through the same
 * endpoint, e.g. to replay a start that happened while nothing listened.
 */
@Command(name = "guest-event", mixinStandardHelpOptions = true,
    description = "Send a Proxmox guest event to the worker's events endpoint, as the hookscript does.",
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:accepted (onboarding started or joined, or a phase that does nothing)",
      "1:rejected by the worker (not in the inventory, kind mismatch)",
      "2:bad arguments, token file or token",
      "3:the worker or Temporal cannot be reached"})
public class GuestEventCommand implements Callable<Integer> {

  static final Set<String> PHASES = Set.of("pre-start", "post-start", "pre-stop", "post-stop");

  @Mixin
  EventsEndpoint endpoint = new EventsEndpoint();

  @Parameters(index = "0", description = "the guest's Proxmox vmid (100 to 999999999)")
  String vmid;

  @Parameters(index = "1", description = "pre-start, post-start, pre-stop or post-stop")
  String phase;

  @Option(names = "--node", defaultValue = "cli", description = "the Proxmox node to report (${DEFAULT-VALUE})")
  String node;

  @Option(names = "--kind", defaultValue = "unknown", description = "lxc, vm or unknown (${DEFAULT-VALUE})")
  String kind;

  @Override
  public Integer call() {
    if (!PHASES.contains(phase)) {
      System.err.println("phoenix-certs guest-event: phase '" + phase + "' is not one of pre-start, post-start, "
          + "pre-stop, post-stop");
      return ExitCodes.USAGE;
    }
    return send(endpoint, "guest-event", vmid, phase, node, kind).exitCode();
  }

  /** What sending gave: the exit code to end with, and the worker's answer when there was one. */
  record Sent(int exitCode, EventsEndpoint.Answer answer) {}

  /** Sends one event and reports the answer in one line; the exit code follows the answer. */
  static Sent send(EventsEndpoint endpoint, String command, String vmid, String phase, String node, String kind) {
    String prefix = "phoenix-certs " + command + ": ";
    // only an operator's request may name a guest (the Proxmox host has no vmid); the hookscript's events carry one
    boolean named = "manual".equals(phase) && !vmid.matches("[0-9]+");
    if (named && !vmid.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}(/[A-Za-z0-9._-]{1,63})?")) {
      System.err.println(prefix + "'" + vmid + "' is neither a Proxmox vmid nor a guest's name as the inventory "
          + "lists it");
      return new Sent(ExitCodes.USAGE, null);
    }
    if (!named && !vmid.matches("[1-9][0-9]{2,8}")) {
      System.err.println(prefix + "vmid '" + vmid + "' is not a Proxmox vmid (100 to 999999999)");
      return new Sent(ExitCodes.USAGE, null);
    }
    EventsEndpoint.Answer answer;
    try {
      answer = named ? endpoint.postOnboardByName(vmid) : endpoint.postGuestEvent(Long.parseLong(vmid), phase, node,
          kind);
    } catch (EventsEndpoint.Unreachable e) {
      System.err.println(prefix + e.getMessage());
      return new Sent(ExitCodes.TEMPORAL_UNAVAILABLE, null);
    } catch (IOException e) {
      System.err.println(prefix + e.getMessage());
      return new Sent(ExitCodes.USAGE, null);
    }
    int status = answer.status();
    if (status == 202 || status == 200) {
      System.out.println(answer.workflowLine());
      return new Sent(ExitCodes.OK, answer);
    }
    String reason = answer.reason();
    System.err.println(prefix + switch (status) {
      case 401 -> "the worker refused the token in " + endpoint.tokenFile
          + "; use the file the worker reads (phoenix.events.token-file)";
      case 503 -> "the worker cannot reach Temporal: " + reason + "; retry later";
      default -> reason == null ? "HTTP " + status : reason;
    });
    return new Sent(switch (status) {
      case 401, 400 -> ExitCodes.USAGE;
      case 503 -> ExitCodes.TEMPORAL_UNAVAILABLE;
      default -> ExitCodes.ATTENTION;
    }, answer);
  }
}
