package ai.thinkheads.phoenix.certs.activities.transport.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.activities.testing.guest.SimulatedGuests;
import ai.thinkheads.phoenix.certs.activities.transport.ExecResult;
import ai.thinkheads.phoenix.certs.activities.transport.TransportException;
import ai.thinkheads.phoenix.certs.workflows.model.TargetSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Key authentication with every supported key type; refusals and bad key files are final. */
class SshAuthenticationTest {

  @RegisterExtension
  static final SimulatedGuests GUESTS = SimulatedGuests.count(1);

  private SshConnectionPool pool;

  @BeforeEach
  void setUp() {
    pool = new SshConnectionPool();
  }

  @AfterEach
  void tearDown() {
    pool.close();
  }

  @Test
  void ed25519EcdsaAndRsaKeysLogIn() {
    for (Path key : List.of(GUESTS.keys().ed25519(), GUESTS.keys().ecdsa(), GUESTS.keys().rsa())) {
      assertEquals("root\n", run(key, Map.of()).stdout(), key.toString());
    }
  }

  @Test
  void encryptedKeyLogsInWithThePassphraseFromItsFile() {
    assertEquals("root\n", run(GUESTS.keys().encrypted(),
        Map.of("passphraseFile", GUESTS.keys().passphraseFile().toString())).stdout());
  }

  @Test
  void encryptedKeyWithoutOrWithAWrongPassphraseIsASetupError() throws Exception {
    TransportException none = assertThrows(TransportException.class, () -> run(GUESTS.keys().encrypted(), Map.of()));
    assertFalse(none.retryable());
    assertTrue(none.getMessage().contains("set passphraseFile"), none.getMessage());

    Path wrong = GUESTS.workDir().resolve("wrong-passphrase");
    Files.writeString(wrong, "not it\n");
    TransportException bad = assertThrows(TransportException.class,
        () -> run(GUESTS.keys().encrypted(), Map.of("passphraseFile", wrong.toString())));
    assertFalse(bad.retryable());
    assertTrue(bad.getMessage().contains("check the passphrase in " + wrong), bad.getMessage());
  }

  @Test
  void keyTheGuestDoesNotKnowIsRefusedFinally() {
    TransportException e = assertThrows(TransportException.class, () -> run(GUESTS.keys().stranger(), Map.of()));
    assertFalse(e.retryable(), e.getMessage());
    assertTrue(e.getMessage().startsWith("authentication as root on lxc/101 (127.0.0.1:" + GUESTS.guest(0).port()
        + ") with key " + GUESTS.keys().stranger() + " refused"), e.getMessage());
  }

  @Test
  void missingKeyFileOrOptionIsASetupError() {
    TransportException missing = assertThrows(TransportException.class,
        () -> run(GUESTS.workDir().resolve("no-such-key"), Map.of()));
    assertFalse(missing.retryable());
    assertTrue(missing.getMessage().contains("missing or unreadable"), missing.getMessage());

    Map<String, String> options = new HashMap<>(GUESTS.guest(0).sshOptions(GUESTS.keys().ed25519()));
    options.remove("address");
    TransportException noAddress = assertThrows(TransportException.class,
        () -> new SshTransportFactory(pool).open(new TargetSpec("ssh", "lxc/101", options)));
    assertEquals("option address of target lxc/101 (transport ssh) is missing; fix the inventory",
        noAddress.getMessage());
    assertFalse(noAddress.retryable());

    options.put("address", "127.0.0.1");
    options.put("connectTimeout", "soon");
    assertFalse(assertThrows(TransportException.class,
        () -> new SshTransportFactory(pool).open(new TargetSpec("ssh", "lxc/101", options))).retryable());
  }

  private ExecResult run(Path key, Map<String, String> extra) {
    Map<String, String> options = GUESTS.guest(0).sshOptions(key);
    options.putAll(extra);
    return new SshTransportFactory(pool).open(new TargetSpec("ssh", "lxc/101", options))
        .exec(List.of("whoami"), Duration.ofSeconds(5));
  }
}
