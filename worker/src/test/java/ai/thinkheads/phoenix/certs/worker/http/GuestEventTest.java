package ai.thinkheads.phoenix.certs.worker.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.activities.estate.Guest;
import ai.thinkheads.phoenix.certs.activities.issuer.LocalCaIssuer;
import ai.thinkheads.phoenix.certs.activities.issuer.LocalCaPlugin;
import ai.thinkheads.phoenix.certs.activities.issuer.stepca.StepCaConfig;
import ai.thinkheads.phoenix.certs.activities.issuer.stepca.StepCaIssuer;
import ai.thinkheads.phoenix.certs.activities.issuer.stepca.StepCaPlugin;
import ai.thinkheads.phoenix.certs.activities.plugin.Settings;
import ai.thinkheads.phoenix.certs.worker.inventory.Inventory;
import ai.thinkheads.phoenix.certs.worker.inventory.InventorySnapshot;
import ai.thinkheads.phoenix.certs.workflows.guest.GuestOnboardingWorkflow;
import ai.thinkheads.phoenix.certs.workflows.guest.TrustTarget;
import ai.thinkheads.phoenix.certs.workflows.model.TargetSpec;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuestEventTest {

  @Test
  void aHookEventParsesAndQemuMeansVm() {
    GuestEvent event = GuestEvent.parse("{\"vmid\":1001,\"phase\":\"post-start\",\"node\":\"pve\",\"kind\":\"qemu\"}");
    assertEquals(new GuestEvent(1001, "post-start", "pve", "vm"), event);
    assertTrue(event.startsOnboarding());
    assertFalse(GuestEvent.parse("{\"vmid\":101,\"phase\":\"pre-stop\"}").startsOnboarding());
    assertEquals(new GuestEvent(101, "manual", "unknown", "unknown"),
        GuestEvent.parse("{\"vmid\":101,\"phase\":\"manual\",\"node\":null}"));
  }

  @Test
  void echoedInputIsBoundedAndCannotForgeLogLines() {
    BadEventException e = assertThrows(BadEventException.class,
        () -> GuestEvent.parse("{\"vmid\":101,\"phase\":\"x\\nINFO forged " + "y".repeat(100) + "\"}"));
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    assertTrue(e.getMessage().length() < 150, e.getMessage());
  }

  @Test
  void whatOnboardingDoesComesFromTheInventory() {
    TargetSpec target = new TargetSpec("pct", "lxc/101", Map.of("vmid", "101"));
    Guest guest = new Guest("lxc/101", 101, "web", "lxc", target, List.of("system", "/etc/app/ca.pem"));
    assertEquals("guest/101", GuestOnboardingWorkflow.workflowIdFor(guest.id()));
    assertEquals(List.of(new TrustTarget("system", null), new TrustTarget("path", "/etc/app/ca.pem")),
        guest.stores());
    assertEquals(List.of(new TrustTarget("system", null)),
        new Guest("lxc/101", 101, "web", "lxc", target, List.of()).stores(), "the contract's default");
    assertTrue(guest.answersTo("101") && guest.answersTo("web") && guest.answersTo("lxc/101"));
    assertFalse(guest.answersTo("102") || guest.answersTo("lxc/102") || guest.answersTo(null));
    Settings stepCa = Settings.of(new StepCaPlugin(), Map.of("url", "https://ca.internal:9000/"));
    StepCaIssuer issuer = new StepCaIssuer(new StepCaConfig(URI.create("https://ca.internal:9000/"), "ab".repeat(32),
        "admin", Path.of("/p")));
    assertEquals("https://ca.internal:9000/health", InventorySnapshot.of(new Inventory("f", stepCa, List.of(guest),
        List.of()), issuer, "d", Instant.EPOCH).caHealthUrl(), "the issuer's health URL, connecting to nothing");
    Settings local = Settings.of(new LocalCaPlugin(), Map.of("dataDir", "/ca"));
    assertNull(InventorySnapshot.of(new Inventory("f", local, List.of(), List.of()),
        new LocalCaIssuer(Path.of("/ca"), "local"), "d", Instant.EPOCH).caHealthUrl());
  }

  @Test
  void aTokenMatchesOnlyItselfAndShortTokensAreRefused(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("token");
    Files.writeString(file, "  0123456789abcdefXYZ  \nsecond line ignored\n");
    BearerToken token = BearerToken.read(file);
    assertTrue(token.matches("Bearer 0123456789abcdefXYZ"));
    assertFalse(token.matches("Bearer 0123456789abcdefXY"));
    assertFalse(token.matches(null));
    Files.writeString(file, "short\n");
    EventsConfigException e = assertThrows(EventsConfigException.class, () -> BearerToken.read(file));
    assertTrue(e.getMessage().contains("at least 16"), e.getMessage());
    EventsConfigException missing = assertThrows(EventsConfigException.class,
        () -> BearerToken.read(dir.resolve("nope")));
    assertTrue(missing.getMessage().contains("cannot read the events token file"), missing.getMessage());
  }
}
