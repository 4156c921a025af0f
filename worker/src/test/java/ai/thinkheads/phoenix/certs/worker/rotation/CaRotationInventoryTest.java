package ai.thinkheads.phoenix.certs.worker.rotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.activities.crypto.CertificateFacts;
import ai.thinkheads.phoenix.certs.activities.estate.CaPair;
import ai.thinkheads.phoenix.certs.activities.plugin.BuiltInPlugins;
import ai.thinkheads.phoenix.certs.activities.plugin.PluginRegistry;
import ai.thinkheads.phoenix.certs.activities.transport.ssh.SshConnectionPool;
import ai.thinkheads.phoenix.certs.workflows.rotation.RotationPhase;
import ai.thinkheads.phoenix.certs.workflows.rotation.RotationProgress;
import ai.thinkheads.phoenix.certs.workflows.rotation.RotationTarget;
import ai.thinkheads.phoenix.certs.worker.inventory.InventoryException;
import ai.thinkheads.phoenix.certs.worker.inventory.InventoryLoader;
import ai.thinkheads.phoenix.certs.worker.inventory.InventorySnapshot;
import ai.thinkheads.phoenix.certs.worker.inventory.InventoryStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inventory's {@code ca.previous} / {@code ca.next}, read into the snapshot with both CAs' issuers (real local
 * CAs), and what the steps see through {@link RotatingEstate} in each phase of a rotation.
 */
class CaRotationInventoryTest {

  static final PluginRegistry PLUGINS = BuiltInPlugins.registry(new SshConnectionPool());

  @TempDir
  Path dir;

  String inventory(String ca) {
    return "ca: " + ca + "\nguests:\n  - {name: box, kind: local}\ncertificates: []\n";
  }

  InventorySnapshot open(String ca) throws Exception {
    Path file = dir.resolve("inventory.yaml");
    Files.writeString(file, inventory(ca));
    return InventoryStore.open(file, PLUGINS).get();
  }

  @Test
  void aNextCaIsReadWithItsOwnIssuerAndBothRootsAreTrustedUntilTheRotationRetiresTheOld() throws Exception {
    InventorySnapshot snapshot = open("{type: local, dataDir: " + dir.resolve("a") + ", next: {type: local, dataDir: "
        + dir.resolve("b") + "}}");
    CaPair pair = snapshot.caPair().orElseThrow();
    assertEquals(RotationTarget.NEXT, pair.target());
    X509Certificate oldRoot = pair.from().root();
    X509Certificate newRoot = pair.to().root();
    assertTrue(pair.rootChanges());
    assertEquals(oldRoot, snapshot.issuer().root(), "ca: is the CA being left");

    // no rotation yet: the current CA issues, the guests are to trust both roots
    RotatingEstate none = new RotatingEstate(snapshot, Optional::empty);
    assertEquals(oldRoot, none.issuer().root());
    assertEquals(List.of(oldRoot, newRoot), none.trustedRoots());
    assertEquals(List.of(), none.retiredRoots());

    for (RotationPhase phase : RotationPhase.values()) {
      RotatingEstate seen = new RotatingEstate(snapshot, () -> Optional.of(progress(pair, phase)));
      X509Certificate issuing = seen.issuer().root();
      boolean newIssues = phase == RotationPhase.REISSUE || phase == RotationPhase.GRACE
          || phase == RotationPhase.RETIRE || phase == RotationPhase.DONE;
      assertEquals(newIssues ? newRoot : oldRoot, issuing, phase + ": which CA issues");
      boolean retired = phase == RotationPhase.RETIRE || phase == RotationPhase.DONE;
      assertEquals(retired ? List.of(newRoot) : List.of(oldRoot, newRoot), seen.trustedRoots(), phase + ": trusted");
      assertEquals(retired ? List.of(oldRoot) : List.of(), seen.retiredRoots(), phase + ": retired");
    }

    // a rotation of another pair (an earlier one, say) does not apply to this one
    RotationProgress other = new RotationProgress(RotationTarget.NEXT, RotationPhase.DONE, "elsewhere",
        pair.toId(), null, null, 0, 0, 0, 0, List.of(), false, null, null);
    assertEquals(oldRoot, new RotatingEstate(snapshot, () -> Optional.of(other)).issuer().root());
  }

  @Test
  void aPreviousCaMakesCaTheNewOneAndTheEditReusesTheIssuerThatWasCa() throws Exception {
    Path file = dir.resolve("inventory.yaml");
    Files.writeString(file, inventory("{type: local, dataDir: " + dir.resolve("a") + "}"));
    InventoryStore store = InventoryStore.open(file, PLUGINS);
    X509Certificate oldRoot = store.get().issuer().root();
    Files.writeString(file, inventory("{type: local, dataDir: " + dir.resolve("b") + ", previous: {type: local, "
        + "dataDir: " + dir.resolve("a") + "}}"));
    assertEquals(InventoryStore.Outcome.CHANGED, store.reload());
    CaPair pair = store.get().caPair().orElseThrow();
    assertEquals(RotationTarget.CURRENT, pair.target());
    assertEquals(oldRoot, pair.from().root());
    assertEquals(store.get().issuer(), pair.to());
    // until a rotation re-issues, the CA being retired still issues: no guest is asked to trust a root early
    assertEquals(CertificateFacts.fingerprint(oldRoot),
        CertificateFacts.fingerprint(new RotatingEstate(store.get(), Optional::empty).issuer().root()));
  }

  @Test
  void aSameRootRotationChangesNoTrust() throws Exception {
    // a new intermediate under the same root: the local CA's data directory with the root alone
    open("{type: local, dataDir: " + dir.resolve("a") + "}").issuer().root();
    Files.createDirectories(dir.resolve("b"));
    for (String file : List.of("root_ca.crt", "root_ca.key")) {
      Files.copy(dir.resolve("a").resolve(file), dir.resolve("b").resolve(file));
    }
    InventorySnapshot snapshot = open("{type: local, dataDir: " + dir.resolve("a") + ", next: {type: local, dataDir: "
        + dir.resolve("b") + "}}");
    CaPair pair = snapshot.caPair().orElseThrow();
    assertEquals(false, pair.rootChanges());
    RotatingEstate done = new RotatingEstate(snapshot, () -> Optional.of(progress(pair, RotationPhase.DONE)));
    assertEquals(List.of(pair.to().root()), done.trustedRoots());
    assertEquals(List.of(), done.retiredRoots());
  }

  @Test
  void bothPreviousAndNextOrANestedRotationAreRefusedAtTheirLine() {
    InventoryLoader loader = new InventoryLoader(PLUGINS);
    InventoryException both = assertThrows(InventoryException.class, () -> loader.parse("r.yaml",
        inventory("\n  type: local\n  previous: {type: local, dataDir: /a}\n  next: {type: local, dataDir: /b}")));
    assertTrue(both.getMessage().contains("r.yaml:4:3: ca.next: list either previous"), both.getMessage());
    InventoryException nested = assertThrows(InventoryException.class, () -> loader.parse("r.yaml",
        inventory("{type: local, next: {type: local, dataDir: /b, next: {type: local}}}")));
    assertTrue(nested.getMessage().contains("ca.next.next: a rotation's other CA lists no rotation"),
        nested.getMessage());
    InventoryException unknown = assertThrows(InventoryException.class, () -> loader.parse("r.yaml",
        inventory("{type: local, next: {type: nonsense}}")));
    assertTrue(unknown.getMessage().contains("r.yaml:1:5") || unknown.getMessage().contains("ca.next.type: unknown"),
        unknown.getMessage());
  }

  static RotationProgress progress(CaPair pair, RotationPhase phase) {
    return new RotationProgress(pair.target(), phase, pair.fromId(), pair.toId(), null, null, 0, 0, 0, 0, List.of(),
        false, null, null);
  }
}
