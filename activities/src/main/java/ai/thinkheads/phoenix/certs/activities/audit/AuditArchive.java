package ai.thinkheads.phoenix.certs.activities.audit;

import ai.thinkheads.phoenix.certs.workflows.audit.AuditReport;
import ai.thinkheads.phoenix.certs.workflows.audit.report.Formats;
import ai.thinkheads.phoenix.certs.workflows.audit.report.JsonReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The latest audit, kept by the worker in one directory ({@code latest.json}, {@code .md}, {@code .html}): what
 * {@code /audit} serves and what the next audit compares with. Each file is replaced whole (temp file + rename).
 */
public final class AuditArchive {

  private final Path dir;

  public AuditArchive(Path dir) {
    this.dir = dir;
  }

  public Path dir() {
    return dir;
  }

  public Optional<AuditReport> latest() {
    Path file = dir.resolve("latest.json");
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JsonReport.parse(Files.readString(file, StandardCharsets.UTF_8)));
    } catch (IOException | IllegalArgumentException unreadable) {
      return Optional.empty(); // an older schema or a damaged file: the next audit is compared with nothing
    }
  }

  public Path save(AuditReport report) {
    try {
      Files.createDirectories(dir);
      for (String format : Formats.NAMES) {
        Path target = dir.resolve("latest." + format);
        Path temp = dir.resolve(".latest." + format + ".tmp");
        Files.writeString(temp, Formats.render(report, format), StandardCharsets.UTF_8);
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      }
      return dir.resolve("latest.json");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the audit report in " + dir, e);
    }
  }
}
