package ai.thinkheads.phoenix.certs.starter;

import ai.thinkheads.phoenix.certs.starter.CertificateRuns.Run;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateStatus.Outcome;
import ai.thinkheads.phoenix.certs.workflows.status.StatusTable;
import java.io.ByteArrayInputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/** How describe renders a certificate's chain and its runs; the JDK parses the PEM (no BouncyCastle here). */
final class CertificateView {

  private CertificateView() {}

  static boolean needsAttention(CertificateStatus status) {
    return status.lastOutcome() == Outcome.FAILED || status.lastOutcome() == Outcome.ROLLED_BACK;
  }

  static String outcome(CertificateStatus status) {
    String outcome = status.lastOutcome() == null ? "-" : status.lastOutcome().name().toLowerCase();
    return outcome + (status.lastAttempt() == null ? "" : " at " + StatusTable.time(status.lastAttempt()))
        + (status.lastError() == null ? "" : ": " + status.failureText())
        + (status.note() == null ? "" : " (" + status.note() + ")");
  }

  /**
   * The chain of the newest issue found in the runs, as deployed (leaf, then intermediates), marked when it is not
   * the live certificate.
   */
  static void chain(PrintStream out, List<Run> runs, CertificateStatus status) {
    Run issuing = runs.stream().filter(r -> r.issued() != null).findFirst().orElse(null);
    if (issuing == null) {
      out.println(status.serial() == null ? "  chain: no certificate is live, and none was issued in the last "
          + runs.size() + " runs" : "  chain: no issue in the last " + runs.size() + " runs' history (the live "
          + "certificate " + status.serial() + " predates them)");
      return;
    }
    boolean live = Objects.equals(issuing.issued().serial(), status.serial());
    out.println("  chain issued " + StatusTable.time(issuing.started()) + " (run " + shortId(issuing.runId()) + ")"
        + (live ? ", live" : ", NOT live (the live serial is " + status.serial() + ")") + ":");
    List<X509Certificate> chain;
    try {
      chain = parse(issuing.issued().certificatePem());
    } catch (CertificateException e) {
      out.println("    cannot parse the PEM in history: " + e.getMessage());
      return;
    }
    for (int i = 0; i < chain.size(); i++) {
      X509Certificate cert = chain.get(i);
      out.printf("    %d %s%n", i, cert.getSubjectX500Principal().getName());
      out.printf("      issuer %s%n", cert.getIssuerX500Principal().getName());
      out.printf("      serial %s, not before %s, not after %s%n", cert.getSerialNumber().toString(16),
          StatusTable.time(cert.getNotBefore().toInstant()), StatusTable.time(cert.getNotAfter().toInstant()));
      List<String> sans = sans(cert);
      if (!sans.isEmpty()) {
        out.printf("      SANs %s%n", String.join(", ", sans));
      }
      out.printf("      sha256 %s%n", fingerprint(cert));
    }
  }

  /**
   * One line per run. A run's outcome is what the next run started with (each run hands its status on), and
   * the live status for the current run; a run that only waited shows "waited".
   */
  static void runs(PrintStream out, List<Run> runs, CertificateStatus live) {
    out.println("  runs, newest first:");
    out.printf("    %-10s %-21s %-21s %s%n", "RUN", "STARTED", "ENDED", "OUTCOME");
    for (int i = 0; i < runs.size(); i++) {
      Run run = runs.get(i);
      CertificateStatus after = i == 0 ? live : runs.get(i - 1).input() == null ? null : runs.get(i - 1).input().status();
      CertificateStatus before = run.input() == null ? null : run.input().status();
      String outcome;
      if (after == null) {
        outcome = "?";
      } else if (before != null && !RenewCommand.newAttempt(before, after)) {
        outcome = i == 0 ? "waiting (" + after.phase() + ")" : "waited";
      } else {
        outcome = outcome(after);
      }
      out.printf("    %-10s %-21s %-21s %s%n", shortId(run.runId()), StatusTable.time(run.started()),
          run.ended() == null ? "running" : StatusTable.time(run.ended()), outcome);
    }
  }

  static List<X509Certificate> parse(String pem) throws CertificateException {
    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    List<X509Certificate> out = new ArrayList<>();
    for (var cert : factory.generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
      out.add((X509Certificate) cert);
    }
    return out;
  }

  private static List<String> sans(X509Certificate cert) {
    try {
      Collection<List<?>> names = cert.getSubjectAlternativeNames();
      return names == null ? List.of() : names.stream().map(n -> String.valueOf(n.get(1))).toList();
    } catch (CertificateParsingException e) {
      return List.of("(unreadable: " + e.getMessage() + ")");
    }
  }

  private static String fingerprint(X509Certificate cert) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
    } catch (Exception e) {
      return "-";
    }
  }

  private static String shortId(String runId) {
    return runId == null ? "-" : runId.length() > 8 ? runId.substring(0, 8) : runId;
  }
}
