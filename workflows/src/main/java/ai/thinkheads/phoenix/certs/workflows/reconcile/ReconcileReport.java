package ai.thinkheads.phoenix.certs.workflows.reconcile;

import java.time.Duration;
import java.util.List;

/**
 * What a reconcile pass did, against which inventory: certificates started, told the inventory changed, stopped
 * (removed from the inventory), strays ended (running under a name the inventory does not hold), and how many
 * were left as they were. {@code problems} lists what is wrong with the inventory file when its last edit did
 * not validate (the last good inventory keeps running); {@code nextPassIn} is null when a Temporal Schedule starts
 * the next pass.
 */
public record ReconcileReport(
    String inventory,
    String digest,
    NameList started,
    NameList changed,
    NameList stopped,
    NameList strays,
    int unchanged,
    List<String> problems,
    Duration nextPassIn) {

  public ReconcileReport {
    problems = problems == null ? List.of() : List.copyOf(problems);
  }

  public static ReconcileReport empty() {
    return new ReconcileReport(null, null, NameList.none(), NameList.none(), NameList.none(), NameList.none(), 0,
        List.of(), null);
  }

  public String summary() {
    return "started " + started.total() + ", changed " + changed.total() + ", stopped " + stopped.total()
        + ", strays ended " + strays.total() + ", unchanged " + unchanged
        + (problems.isEmpty() ? "" : "; the inventory's last edit is invalid (" + problems.size() + " problems)");
  }
}
