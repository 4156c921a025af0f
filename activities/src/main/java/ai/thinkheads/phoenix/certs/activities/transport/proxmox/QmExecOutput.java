package ai.thinkheads.phoenix.certs.activities.transport.proxmox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * What {@code qm guest exec} prints: the guest agent's status as JSON, e.g.
 * {@code {"exitcode":0,"exited":1,"out-data":"...","err-data":"..."}}; {@code exited} 0 when the command
 * outlived qm's --timeout, {@code signal} instead of {@code exitcode} when it was killed.
 */
record QmExecOutput(boolean exited, int exitCode, String outData, String errData, boolean truncated) {

  private static final ObjectMapper JSON = new ObjectMapper();

  static QmExecOutput parse(byte[] stdout) throws IOException {
    JsonNode node = JSON.readTree(stdout);
    if (node == null || !node.isObject()) {
      throw new IOException("not a JSON object");
    }
    int exitCode = node.has("exitcode") ? node.get("exitcode").asInt()
        : node.has("signal") ? 128 + node.get("signal").asInt() : -1;
    return new QmExecOutput(node.path("exited").asInt(0) == 1, exitCode, node.path("out-data").asText(""),
        node.path("err-data").asText(""),
        node.path("out-truncated").asBoolean(false) || node.path("err-truncated").asBoolean(false));
  }
}
