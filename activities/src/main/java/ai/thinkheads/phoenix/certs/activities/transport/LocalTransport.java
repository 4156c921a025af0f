package ai.thinkheads.phoenix.certs.activities.transport;

import ai.thinkheads.phoenix.certs.workflows.failure.FailureType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The machine the worker runs on: type {@code local}. */
public final class LocalTransport implements Transport {

  /** Room a write needs beyond its content: the temp file's block and the directory entry. */
  static final long SPACE_MARGIN = 4096;

  public static final String TYPE = "local";
  private static final int MAX_OUTPUT = 64 * 1024;

  private final String name;

  public LocalTransport(String name) {
    this.name = name;
  }

  @Override
  public String describe() {
    return name;
  }

  @Override
  public Optional<byte[]> read(String path) {
    try {
      return Optional.of(Files.readAllBytes(Path.of(path)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new TransportException("cannot read " + path + " on " + name + ": " + e.getMessage(), true, e);
    }
  }

  @Override
  public boolean exists(String path) {
    return Files.exists(Path.of(path));
  }

  @Override
  public void write(String path, byte[] content, FileAttributes attributes) {
    Path target = Path.of(path).toAbsolutePath();
    Path dir = target.getParent();
    Path temp = dir.resolve("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
    try {
      Files.createDirectories(dir);
      long free = Files.getFileStore(dir).getUsableSpace();
      if (free < content.length + SPACE_MARGIN) {
        throw new TransportException(FailureType.NO_SPACE, "no room for " + path + " on " + name + ": "
            + free + " bytes free in " + dir + ", it needs " + (content.length + SPACE_MARGIN)
            + "; nothing was written. Free some space there", null);
      }
      Set<PosixFilePermission> permissions = permissions(attributes.modeBits());
      // Created with its final mode, so a key is never readable by others, not even for a moment.
      try (FileChannel channel = FileChannel.open(temp, EnumSet.of(StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(permissions))) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      Files.setPosixFilePermissions(temp, permissions); // the umask may have narrowed it
      if (attributes.owner() != null) {
        chown(temp, attributes.owner());
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      syncDirectory(dir);
    } catch (IOException e) {
      deleteQuietly(temp);
      boolean full = String.valueOf(e.getMessage()).contains("No space left");
      throw new TransportException(full ? FailureType.NO_SPACE : FailureType.TRANSPORT_FAILED, "cannot write "
          + path + " on " + name + ": " + e.getMessage() + (full ? "; nothing was written. Free some space" : ""),
          e);
    }
  }

  @Override
  public void rename(String from, String to) {
    try {
      Files.move(Path.of(from), Path.of(to), StandardCopyOption.ATOMIC_MOVE);
      syncDirectory(Path.of(to).toAbsolutePath().getParent());
    } catch (AtomicMoveNotSupportedException e) {
      throw new TransportException("cannot rename " + from + " to " + to + " atomically on " + name, false, e);
    } catch (IOException e) {
      throw new TransportException("cannot rename " + from + " to " + to + " on " + name + ": " + e.getMessage(),
          true, e);
    }
  }

  @Override
  public void delete(String path) {
    try {
      Files.deleteIfExists(Path.of(path));
    } catch (IOException e) {
      throw new TransportException("cannot delete " + path + " on " + name + ": " + e.getMessage(), true, e);
    }
  }

  @Override
  public ExecResult exec(List<String> argv, Duration timeout) {
    Process process;
    try {
      process = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .start();
    } catch (IOException e) {
      return new ExecResult(127, "", "cannot run " + argv.get(0) + ": " + e.getMessage());
    }
    CompletableFuture<String> out = drain(process.getInputStream());
    CompletableFuture<String> err = drain(process.getErrorStream());
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new TransportException("command " + argv.get(0) + " on " + name + " timed out after " + timeout, true);
      }
      return new ExecResult(process.exitValue(), out.join(), err.join());
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new TransportException("interrupted while running " + argv.get(0) + " on " + name, true, e);
    }
  }

  private static CompletableFuture<String> drain(InputStream stream) {
    return CompletableFuture.supplyAsync(() -> {
      try (stream) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        int n;
        while ((n = stream.read(chunk)) >= 0) {
          if (buffer.size() < MAX_OUTPUT) {
            buffer.write(chunk, 0, Math.min(n, MAX_OUTPUT - buffer.size()));
          }
        }
        return buffer.toString(StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> out = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] order = {
      PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
      PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
      PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ
    };
    for (int bit = 0; bit < order.length; bit++) {
      if ((mode & (1 << bit)) != 0) {
        out.add(order[bit]);
      }
    }
    return out;
  }

  private static void chown(Path path, String owner) throws IOException {
    String[] parts = owner.split(":", 2);
    UserPrincipalLookupService lookup = path.getFileSystem().getUserPrincipalLookupService();
    PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
    if (!parts[0].isEmpty()) {
      view.setOwner(lookup.lookupPrincipalByName(parts[0]));
    }
    if (parts.length == 2 && !parts[1].isEmpty()) {
      GroupPrincipal group = lookup.lookupPrincipalByGroupName(parts[1]);
      view.setGroup(group);
    }
  }

  private static void syncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException ignored) {
      // Not every file system lets a directory be synced; the rename itself is still atomic.
    }
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException ignored) {
      // best effort: a stray temp file is harmless, the target was never touched
    }
  }
}
