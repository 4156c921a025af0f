package ai.thinkheads.phoenix.certs.workflows.status;

import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** Renders certificate statuses as the fixed-width table the CLI and the dev mode print. */
public final class StatusTable {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
  private static final String[] HEADER = {"NAME", "GUEST", "SERIAL", "NOT AFTER", "NEXT RENEWAL", "LAST OUTCOME",
      "PHASE"};

  private StatusTable() {}

  public static String render(List<CertificateStatus> statuses) {
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADER);
    for (CertificateStatus s : statuses) {
      String outcome = s.lastOutcome() == null ? "-" : s.lastOutcome().name().toLowerCase();
      if (s.lastError() != null) {
        outcome += ": " + abbreviate(s.failureText(), 60);
      } else if (s.note() != null) {
        outcome += " (" + abbreviate(s.note(), 60) + ")";
      }
      rows.add(new String[] {s.name(), s.guestId(), abbreviate(s.serial(), 16), time(s.notAfter()),
          time(s.nextRenewal()), outcome, abbreviate(s.phase(), 40)});
    }
    int[] widths = new int[HEADER.length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length - 1; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        out.append(i == row.length - 1 ? row[i] : String.format("%-" + widths[i] + "s  ", row[i]));
      }
      out.append('\n');
    }
    return out.toString();
  }

  public static String time(Instant instant) {
    return instant == null ? "-" : TIME.format(instant);
  }

  private static String abbreviate(String text, int max) {
    if (text == null) {
      return "-";
    }
    return text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }
}
