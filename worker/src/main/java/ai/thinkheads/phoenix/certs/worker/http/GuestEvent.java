package ai.thinkheads.phoenix.certs.worker.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Iterator;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What Proxmox's hookscript reports: {@code {"vmid":101,"phase":"post-start","node":"pve","kind":"lxc"}}.
 * {@code manual} is the operator's {@code phoenix-certs onboard}; the hookscript never sends it. Only a manual
 * event may name the guest instead ({@code {"guest":"pve","phase":"manual"}}): the Proxmox host ({@code kind:
 * host}) has no vmid. {@code guest} is null for a vmid event, {@code vmid} 0 for a named one.
 */
public record GuestEvent(int vmid, String phase, String node, String kind, String guest) {

  public GuestEvent(int vmid, String phase, String node, String kind) {
    this(vmid, phase, node, kind, null);
  }

  public static final String POST_START = "post-start";
  public static final String MANUAL = "manual";
  public static final Set<String> PHASES = Set.of("pre-start", POST_START, "pre-stop", "post-stop", MANUAL);
  public static final Set<String> KINDS = Set.of("lxc", "vm", "unknown");
  static final Set<String> FIELDS = Set.of("vmid", "phase", "node", "kind", "guest");
  public static final int MIN_VMID = 100;
  public static final int MAX_VMID = 999_999_999;
  private static final Pattern GUEST = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}(/[A-Za-z0-9._-]{1,63})?");
  private static final Pattern NODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]{0,62}");
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  /** Parses and checks one event; the exception's message says which field is wrong and why. */
  public static GuestEvent parse(String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json == null ? "" : json);
    } catch (JsonProcessingException e) {
      throw new BadEventException("not JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new BadEventException("expected a JSON object {vmid, phase, node, kind}");
    }
    for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw new BadEventException("unknown field '" + printable(name) + "' (known: guest, kind, node, phase, "
            + "vmid)");
      }
    }
    if (root.has("guest")) {
      return named(root);
    }
    JsonNode vmid = root.get("vmid");
    if (vmid == null || !vmid.isIntegralNumber() || !vmid.canConvertToInt()
        || vmid.intValue() < MIN_VMID || vmid.intValue() > MAX_VMID) {
      throw new BadEventException("vmid: expected a Proxmox vmid, a number from 100 to 999999999; got "
          + describe(vmid));
    }
    String phase = text(root, "phase");
    if (phase == null || !PHASES.contains(phase)) {
      throw new BadEventException("phase: expected one of post-start, pre-start, pre-stop, post-stop, manual; got "
          + describe(root.get("phase")));
    }
    String node = text(root, "node");
    if (node != null && !NODE.matcher(node).matches()) {
      throw new BadEventException("node: expected a host name (letters, digits, '.', '-'); got "
          + describe(root.get("node")));
    }
    String kind = text(root, "kind");
    kind = "qemu".equals(kind) ? "vm" : kind;
    if (kind != null && !KINDS.contains(kind)) {
      throw new BadEventException("kind: expected lxc, vm (or qemu) or unknown; got " + describe(root.get("kind")));
    }
    return new GuestEvent(vmid.intValue(), phase, node == null ? "unknown" : node, kind == null ? "unknown" : kind);
  }

  /** An operator's request naming the guest (as the inventory does: its name or id), not its vmid. */
  private static GuestEvent named(JsonNode root) {
    if (root.has("vmid")) {
      throw new BadEventException("guest and vmid: give one of them, not both");
    }
    String guest = text(root, "guest");
    if (guest == null || !GUEST.matcher(guest).matches()) {
      throw new BadEventException("guest: expected a guest's name or id as the inventory lists it (letters, digits,"
          + " '.', '-', '_', one '/'); got " + describe(root.get("guest")));
    }
    if (!MANUAL.equals(text(root, "phase"))) {
      throw new BadEventException("phase: an event naming a guest is an operator's request, phase manual; got "
          + describe(root.get("phase")));
    }
    return new GuestEvent(0, MANUAL, "unknown", "unknown", guest);
  }

  /** What the event names: "vmid 101" or "guest pve". */
  public String subject() {
    return guest != null ? "guest " + guest : "vmid " + vmid;
  }

  /** Only a start (or an operator's request) onboards: the other phases are accepted and ignored. */
  public boolean startsOnboarding() {
    return POST_START.equals(phase) || MANUAL.equals(phase);
  }

  public String reason() {
    return MANUAL.equals(phase) ? "operator request (phoenix-certs onboard)"
        : "Proxmox " + phase + " of " + vmid + " on node " + node;
  }

  private static String text(JsonNode root, String field) {
    JsonNode value = root.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw new BadEventException(field + ": expected a string; got " + describe(value));
    }
    return value.textValue();
  }

  private static String describe(JsonNode value) {
    if (value == null || value.isMissingNode()) {
      return "nothing";
    }
    return printable(value.toString());
  }

  /** Echoes client input safely: bounded, and without control characters that could forge log lines. */
  static String printable(String text) {
    String shown = text.length() > 40 ? text.substring(0, 40) + "..." : text;
    return shown.replaceAll("\\p{Cntrl}", "?");
  }
}
