package ai.thinkheads.phoenix.certs.activities.transport.proxmox;

import ai.thinkheads.phoenix.certs.activities.transport.TransportException;
import ai.thinkheads.phoenix.certs.activities.transport.remote.CommandRunner;
import ai.thinkheads.phoenix.certs.activities.transport.remote.RawResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs argv inside a VM through the QEMU guest agent: {@code qm guest exec <vmid> --timeout <s>
 * [--pass-stdin 1] -- argv} on its Proxmox host. The agent runs argv without a shell; stdin travels as its
 * input-data (qm takes at most 1 MiB); exit status and output come back as JSON. Output is text there, so
 * file reads through this runner travel as base64.
 */
final class QmCommandRunner implements CommandRunner {

  static final int MAX_STDIN = 1024 * 1024;
  /** Time qm and SSH get beyond the command's own timeout before we give up on the host side. */
  private static final Duration HOST_MARGIN = Duration.ofSeconds(15);

  private final ProxmoxGuest guest;

  QmCommandRunner(ProxmoxGuest guest) {
    this.guest = guest;
  }

  @Override
  public String describe() {
    return guest.name() + " (qm guest exec " + guest.vmid() + " on " + guest.host().options().endpoint() + ")";
  }

  @Override
  public boolean binarySafeStdout() {
    return false;
  }

  @Override
  public RawResult run(List<String> argv, byte[] stdin, Duration timeout) {
    if (stdin != null && stdin.length > MAX_STDIN) {
      throw new TransportException("cannot send " + stdin.length + " bytes to " + describe()
          + ": qm guest exec passes at most 1 MiB of input", false);
    }
    long seconds = Math.max(1, (timeout.toMillis() + 999) / 1000);
    List<String> qm = new ArrayList<>(List.of("qm", "guest", "exec", guest.vmid(), "--timeout",
        Long.toString(seconds)));
    if (stdin != null) {
      qm.addAll(List.of("--pass-stdin", "1"));
    }
    qm.add("--");
    qm.addAll(argv);
    RawResult raw = guest.host().run(qm, stdin, timeout.plus(HOST_MARGIN));
    if (raw.exitCode() != 0) {
      throw new TransportException("qm guest exec on " + describe() + " failed with exit code " + raw.exitCode()
          + ": " + raw.tail() + "; retrying (is the VM running, with the QEMU guest agent enabled?)", true);
    }
    QmExecOutput output;
    try {
      output = QmExecOutput.parse(raw.stdout());
    } catch (IOException e) {
      throw new TransportException("qm guest exec on " + describe() + " printed no status JSON: " + raw.tail(),
          false, e);
    }
    if (!output.exited()) {
      throw new TransportException(argv.get(0) + " on " + describe() + " did not finish within " + timeout
          + "; retrying (raise commandTimeout if it needs longer)", true);
    }
    if (output.truncated()) {
      throw new TransportException("the guest agent truncated the output of " + argv.get(0) + " on "
          + describe() + "; read smaller files", false);
    }
    return new RawResult(output.exitCode(), output.outData().getBytes(StandardCharsets.UTF_8),
        output.errData().getBytes(StandardCharsets.UTF_8));
  }
}
