package ai.thinkheads.phoenix.certs.worker.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the events the hookscript spooled while the engine was down, oldest first (file names start with
 * the time in microseconds). Each file is claimed by an atomic rename before it is sent, exactly as the
 * hookscript does, so a hook call flushing the spool at the same moment never sends the same event twice.
 */
public final class SpoolDelivery {

  private static final Logger log = LoggerFactory.getLogger(SpoolDelivery.class);
  static final String EVENT = ".json";
  static final String CLAIMED = ".sending";
  /** A claim older than this belongs to a hook call (or worker) that died mid-send: take the event back. */
  static final Duration ABANDONED = Duration.ofMinutes(1);
  static final long MAX_EVENT_BYTES = 4096;

  public record Report(int delivered, int rejected, int left) {}

  private SpoolDelivery() {}

  public static Report deliver(Path dir, GuestEventService service) {
    if (!Files.isDirectory(dir)) {
      log.info("spool {} does not exist (yet): nothing to deliver", dir);
      return new Report(0, 0, 0);
    }
    reclaimAbandoned(dir);
    int delivered = 0;
    int rejected = 0;
    List<Path> events = list(dir, "*" + EVENT);
    for (int i = 0; i < events.size(); i++) {
      Path event = events.get(i);
      Path claimed = event.resolveSibling(event.getFileName() + ".worker" + CLAIMED);
      try {
        Files.move(event, claimed, StandardCopyOption.ATOMIC_MOVE);
      } catch (NoSuchFileException taken) {
        continue; // a hook call claimed it first and delivers it
      } catch (IOException e) {
        log.warn("cannot claim spooled event {}: {}; leaving it", event, e.toString());
        continue;
      }
      Delivery delivery;
      try {
        delivery = service.deliver(GuestEvent.parse(read(claimed)));
      } catch (BadEventException | IOException e) {
        log.warn("spooled event {} cannot be delivered ({}); deleting it", event.getFileName(), e.getMessage());
        delete(claimed);
        rejected++;
        continue;
      }
      if (delivery.outcome() == Delivery.Outcome.UNAVAILABLE) {
        putBack(claimed, event);
        log.warn("spool: {}; {} events left in {}", delivery.message(), events.size() - i, dir);
        return new Report(delivered, rejected, events.size() - i);
      }
      if (delivery.outcome() == Delivery.Outcome.REJECTED) {
        log.warn("spooled event {} rejected: {}", event.getFileName(), delivery.message());
        rejected++;
      } else {
        delivered++;
      }
      delete(claimed);
    }
    log.info("spool {}: {} events delivered, {} rejected", dir, delivered, rejected);
    return new Report(delivered, rejected, 0);
  }

  private static void reclaimAbandoned(Path dir) {
    Instant cutoff = Instant.now().minus(ABANDONED);
    for (Path claim : list(dir, "*" + EVENT + ".*" + CLAIMED)) {
      try {
        FileTime modified = Files.getLastModifiedTime(claim);
        if (modified.toInstant().isBefore(cutoff)) {
          String name = claim.getFileName().toString();
          putBack(claim, claim.resolveSibling(name.substring(0, name.indexOf(EVENT) + EVENT.length())));
        }
      } catch (IOException gone) {
        // its owner finished meanwhile
      }
    }
  }

  private static String read(Path file) throws IOException {
    if (Files.size(file) > MAX_EVENT_BYTES) {
      throw new IOException("larger than " + MAX_EVENT_BYTES + " bytes");
    }
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  private static List<Path> list(Path dir, String glob) {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, glob)) {
      stream.forEach(out::add);
    } catch (IOException e) {
      log.warn("cannot list spool {}: {}", dir, e.toString());
    }
    out.sort(null); // names start with the time: oldest first
    return out;
  }

  private static void putBack(Path claimed, Path event) {
    try {
      Files.move(claimed, event, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      log.warn("cannot return {} to the spool: {}", claimed, e.toString());
    }
  }

  private static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      log.warn("cannot delete delivered event {}: {}; it may be delivered again", file, e.toString());
    }
  }
}
