package ai.thinkheads.phoenix.certs.activities.issuer.acme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.activities.crypto.KeyPairs;
import ai.thinkheads.phoenix.certs.activities.issuer.IssuerRejectedException;
import ai.thinkheads.phoenix.certs.activities.steps.StepFailedException;
import ai.thinkheads.phoenix.certs.activities.transport.LocalTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The account key file and the webroot answers: what the acme issuer writes, and what it refuses. */
class AccountKeyTest {

  @TempDir
  Path dir;

  @Test
  void aMissingKeyIsMadeOwnerOnlyAndReadBackAsTheSamePair() throws Exception {
    Path file = dir.resolve("secrets/account.pem");
    KeyPair made = AccountKey.loadOrCreate(file);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals(List.of(), listTemps(file.getParent()), "no temp file left beside it");
    KeyPair read = AccountKey.loadOrCreate(file);
    assertEquals(made.getPublic(), read.getPublic());
    assertTrue(KeyPairs.matches(read.getPrivate(), made.getPublic()));
  }

  @Test
  void aTraditionalOpensslKeyIsRead() throws Exception {
    Path file = dir.resolve("openssl.pem");
    Process openssl = new ProcessBuilder("openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out",
        file.toString()).inheritIO().start();
    assertEquals(0, openssl.waitFor());
    assertTrue(Files.readString(file).contains("BEGIN EC PRIVATE KEY"));
    KeyPair read = AccountKey.loadOrCreate(file);
    assertTrue(KeyPairs.matches(read.getPrivate(), read.getPublic()));
  }

  @Test
  void anUnreadableKeyFileSaysWhatToDo() throws Exception {
    Path file = dir.resolve("account.pem");
    Files.writeString(file, "not a key\n");
    StepFailedException e = assertThrows(StepFailedException.class, () -> AccountKey.loadOrCreate(file));
    assertEquals("InvalidSpec", e.type().type());
    assertTrue(e.getMessage().startsWith("ACME account key " + file + ": it holds no private key"), e.getMessage());
    assertTrue(e.getMessage().contains("move it away to register a new account"), e.getMessage());
  }

  @Test
  void aTokenThatIsNotBase64UrlNeverBecomesAPath() {
    Http01Webroot webroot = new Http01Webroot(dir.toString());
    for (String token : List.of("../../etc/passwd", "a/b", "", "to ken")) {
      assertThrows(IssuerRejectedException.class, () -> webroot.put(new LocalTransport("local"), token, "x"),
          token);
    }
    assertEquals(dir + "/.well-known/acme-challenge/Ab-9_z", webroot.path("Ab-9_z"));
  }

  private static List<String> listTemps(Path dir) throws Exception {
    try (var files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList();
    }
  }
}
