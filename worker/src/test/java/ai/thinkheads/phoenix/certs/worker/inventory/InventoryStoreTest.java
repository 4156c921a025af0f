package ai.thinkheads.phoenix.certs.worker.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.activities.plugin.BuiltInPlugins;
import ai.thinkheads.phoenix.certs.activities.plugin.PluginRegistry;
import ai.thinkheads.phoenix.certs.activities.transport.ssh.SshConnectionPool;
import ai.thinkheads.phoenix.certs.worker.inventory.InventoryStore.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inventory's one owner: edits to the file and to the configuration files it names are changes (a fixed
 * password or known_hosts file retries what failed for it); the worker's own state (the local CA's directory,
 * which grows with every signature) is not; an invalid edit keeps the last good snapshot.
 */
class InventoryStoreTest {

  @TempDir
  Path dir;

  @Test
  void theFilesTheInventoryNamesCountTheWorkersOwnStateDoesNot() throws Exception {
    Path knownHosts = Files.writeString(dir.resolve("known_hosts"), "[127.0.0.1]:2222 ssh-ed25519 AAAA\n");
    Path identity = Files.writeString(dir.resolve("id"), "key\n");
    Path file = Files.writeString(dir.resolve("inventory.yaml"), """
        ca: {type: local, dataDir: %1$s/ca}
        guests:
          - {name: here, kind: local}
          - {vmid: 101, kind: lxc, address: 127.0.0.1, port: 2222, identityFile: %2$s, knownHosts: %3$s}
        certificates:
          - {name: local, guest: here, sans: [a.test], files: {cert: %1$s/a.crt, key: %1$s/a.key}}
          - {name: remote, guest: 101, sans: [b.test], files: {cert: /etc/b.crt, key: /etc/b.key}}
        """.formatted(dir, identity, knownHosts));
    try (SshConnectionPool pool = new SshConnectionPool()) {
      InventoryStore store = InventoryStore.open(file, PluginRegistry.of(BuiltInPlugins.all(pool)));
      InventorySnapshot first = store.get();
      Files.createDirectories(dir.resolve("ca"));
      Files.writeString(dir.resolve("ca/issued.log"), "a line per signature\n");
      assertEquals(Outcome.UNCHANGED, store.reload(), "the CA's own files are not configuration");

      Files.writeString(knownHosts, "[127.0.0.1]:2222 ssh-ed25519 BBBB\n");
      assertEquals(Outcome.CHANGED, store.reload(), "a new known_hosts is a change");
      InventorySnapshot second = store.get();
      assertNotEquals(first.digest("remote"), second.digest("remote"), "the certificate on that guest changed");
      assertEquals(first.digest("local"), second.digest("local"), "the local one did not");
      assertSame(first.issuer(), second.issuer(), "the same CA: the issuer is kept (a provisioner key stays decrypted)");

      Files.writeString(file, "certificates: [oops");
      assertEquals(Outcome.INVALID, store.reload());
      assertSame(second, store.get(), "the last good inventory runs on");
      assertTrue(store.problems().get(0).contains("not valid YAML"), store.problems().toString());
    }
  }
}
