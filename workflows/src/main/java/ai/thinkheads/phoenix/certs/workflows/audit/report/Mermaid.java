package ai.thinkheads.phoenix.certs.workflows.audit.report;

import ai.thinkheads.phoenix.certs.workflows.audit.EstateOutline;
import ai.thinkheads.phoenix.certs.workflows.audit.EstateOutline.GuestOutline;

/** The estate as a mermaid graph, drawn from the inventory: the CA, each guest, and what it holds from the CA. */
final class Mermaid {

  private Mermaid() {}

  static String of(EstateOutline e) {
    StringBuilder out = new StringBuilder("graph TD\n");
    out.append("    CA[\"").append(escape(e.caType() + " CA" + (e.caUrl() == null ? "" : ": " + e.caUrl())))
        .append("\"]\n");
    int i = 0;
    for (GuestOutline g : e.guests()) {
      String node = "G" + i++;
      out.append("    ").append(node).append("[\"").append(escape(g.label())).append("\"]\n");
      out.append("    CA -- \"root (").append(escape(g.trust().isEmpty() ? "system" : String.join(", ", g.trust())))
          .append(")\" --> ").append(node).append('\n');
      for (String cert : g.certificates()) {
        out.append("    CA -- \"issues ").append(escape(cert)).append("\" --> ").append(node).append('\n');
      }
    }
    return out.toString();
  }

  private static String escape(String text) {
    return text.replace("\"", "'");
  }
}
