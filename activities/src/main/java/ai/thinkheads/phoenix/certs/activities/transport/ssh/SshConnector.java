package ai.thinkheads.phoenix.certs.activities.transport.ssh;

import ai.thinkheads.phoenix.certs.workflows.failure.FailureType;
import ai.thinkheads.phoenix.certs.activities.transport.TransportException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import net.schmizz.sshj.Config;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import net.schmizz.sshj.userauth.password.PasswordUtils;

/**
 * Opens one authenticated SSH connection and sorts its failures: an unreachable server or a timeout may pass
 * (retryable); a refused host key, a refused key or an unusable key file will not (final).
 */
final class SshConnector {

  // Building the algorithm lists is slow; the lists are only read afterwards, so one serves every client.
  private final Config config = new DefaultConfig();

  SSHClient connect(SshOptions options, String target) {
    KnownHostsVerifier verifier = verifier(options, target);
    SSHClient client = new SSHClient(config);
    int timeoutMs = (int) Math.min(Integer.MAX_VALUE, options.connectTimeout().toMillis());
    client.setConnectTimeout(timeoutMs); // the TCP connect
    client.getTransport().setTimeoutMs(timeoutMs); // key exchange and authentication round trips
    client.getConnection().setTimeoutMs(timeoutMs); // opening channels on the pooled connection later
    client.addHostKeyVerifier(verifier);
    DeadlineSocketFactory sockets = new DeadlineSocketFactory();
    client.setSocketFactory(sockets);
    ScheduledFuture<?> deadline = null;
    try {
      KeyProvider key = loadKey(client, options, target);
      // One deadline for connect, banner, key exchange and authentication together.
      deadline = SshThreads.DEADLINES.schedule(sockets::expire, timeoutMs, TimeUnit.MILLISECONDS);
      try {
        client.connect(options.address(), options.port());
      } catch (IOException e) {
        if (sockets.expired()) {
          throw new TransportException("cannot connect to " + target + ": no SSH handshake within "
              + options.connectTimeout() + "; retrying. Check that sshd answers on " + options.endpoint(), true, e);
        }
        throw verifier.rejection()
            .map(r -> new TransportException(FailureType.HOST_KEY_REJECTED, r.message(target), e))
            .orElseGet(() -> new TransportException("cannot connect to " + target + ": " + describe(e)
                + "; retrying. Check that the server is up and sshd listens on " + options.endpoint(), true, e));
      }
      try {
        client.authPublickey(options.user(), key);
      } catch (UserAuthException e) {
        throw new TransportException(FailureType.AUTHENTICATION_FAILED, "authentication as " + options.user() + " on "
            + target + " with key " + options.identityFile() + " refused: " + describe(e) + "; add its public key to "
            + "that user's authorized_keys or fix identityFile", e);
      } catch (IOException e) {
        throw new TransportException("connection to " + target + " lost during authentication: " + describe(e)
            + (sockets.expired() ? " (connectTimeout " + options.connectTimeout() + " passed)" : ""), true, e);
      }
      return client;
    } catch (RuntimeException e) {
      closeQuietly(client);
      throw e;
    } finally {
      if (deadline != null) {
        deadline.cancel(false);
      }
    }
  }

  private static KnownHostsVerifier verifier(SshOptions options, String target) {
    try {
      return new KnownHostsVerifier(options.knownHosts(), options.trustOnFirstUse());
    } catch (IOException e) {
      throw new TransportException(FailureType.INVALID_SPEC, "cannot read known_hosts file " + options.knownHosts()
          + " for " + target + ": " + describe(e) + "; fix knownHosts", e);
    }
  }

  /** Loads and decrypts the key before connecting: a wrong passphrase is a setup error, not a refusal. */
  private static KeyProvider loadKey(SSHClient client, SshOptions options, String target) {
    Path file = options.identityFile();
    if (!Files.isReadable(file)) {
      throw new TransportException(FailureType.INVALID_SPEC, "identityFile " + file + " for " + target
          + " is missing or unreadable; fix identityFile", null);
    }
    try {
      KeyProvider key = options.passphraseFile() == null
          ? client.loadKeys(file.toString())
          : client.loadKeys(file.toString(), PasswordUtils.createOneOff(passphrase(options.passphraseFile())));
      key.getPrivate();
      return key;
    } catch (IOException | RuntimeException e) {
      throw new TransportException(FailureType.AUTHENTICATION_FAILED, "cannot load private key " + file + " for "
          + target + ": " + describe(e) + (options.passphraseFile() == null ? "; if it is encrypted, set passphraseFile"
              : "; check the passphrase in " + options.passphraseFile()), e);
    }
  }

  /** The first line of the file: editors and `echo` add a newline that is not part of the passphrase. */
  private static char[] passphrase(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    int end = text.indexOf('\n');
    String line = end < 0 ? text : text.substring(0, end);
    return (line.endsWith("\r") ? line.substring(0, line.length() - 1) : line).toCharArray();
  }

  static String describe(Throwable e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  static void closeQuietly(SSHClient client) {
    try {
      client.close();
    } catch (IOException | RuntimeException ignored) {
      // already broken; nothing left to release
    }
  }
}
