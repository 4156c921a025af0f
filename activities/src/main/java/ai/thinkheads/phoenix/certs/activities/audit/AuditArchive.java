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
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/**
 * The latest audit, kept by the worker in one directory ({@code latest.json}, {@code .md}, {@code .html}): what
 * {@code /audit} serves and what the next audit compares with. Each file is replaced whole (temp file + rename).
 */
public final class AuditArchive {

  private final Path dir;
  /**
   * The report last read or saved, with the file's stamp then: the metrics refresh (every 15 s) and /audit ask
   * for the latest often, and it changes once per audit, so it is parsed again only when the file changed.
   */
  private volatile Held held;

  private record Held(Object stamp, AuditReport report) {}

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
      Object stamp = stamp(file);
      Held last = held;
      if (last != null && last.stamp().equals(stamp)) {
        return Optional.of(last.report());
      }
      AuditReport report = JsonReport.parse(Files.readString(file, StandardCharsets.UTF_8));
      held = new Held(stamp, report);
      return Optional.of(report);
    } catch (IOException | IllegalArgumentException unreadable) {
      return Optional.empty(); // an older schema or a damaged file: the next audit is compared with nothing
    }
  }

  /** What tells one version of the file from the next: modified time, size and file key (a rename changes it). */
  private static Object stamp(Path file) throws IOException {
    BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
    return java.util.List.of(a.lastModifiedTime(), a.size(), String.valueOf(a.fileKey()));
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
      Path json = dir.resolve("latest.json");
      held = new Held(stamp(json), report);
      return json;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the audit report in " + dir, e);
    }
  }
}
