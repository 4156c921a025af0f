package ai.thinkheads.phoenix.certs.activities.testing.guest;

import java.nio.file.Path;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension giving a test class N simulated SSH guests (and, if asked, a simulated Proxmox host):
 * <pre>
 *   &#64;RegisterExtension static final SimulatedGuests GUESTS = SimulatedGuests.count(2).withProxmoxHost();
 * </pre>
 * Guests live for the whole test run (shared through JUnit's root store) and are stopped by PID at its end;
 * the first class starts the run's usual fleet ({@value #SUITE_GUESTS} guests and the Proxmox host) at once.
 * Needs root and tools/guest/install-deps.sh.
 */
public final class SimulatedGuests implements BeforeAllCallback {

  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SimulatedGuests.class);

  /**
   * What the first class to start guests starts for the whole run, in parallel: first starts cost seconds of
   * CPU each, and one at a time, class after class, they made up most of the suite's time.
   */
  private static final int SUITE_GUESTS = 2;
  private static final boolean SUITE_PROXMOX_HOST = true;

  private final int count;
  private final boolean proxmoxHost;
  private GuestFleet fleet;

  private SimulatedGuests(int count, boolean proxmoxHost) {
    this.count = count;
    this.proxmoxHost = proxmoxHost;
  }

  public static SimulatedGuests count(int count) {
    return new SimulatedGuests(count, false);
  }

  public SimulatedGuests withProxmoxHost() {
    return new SimulatedGuests(count, true);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    fleet = context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(GuestFleet.class);
    fleet.ensure(Math.max(count, SUITE_GUESTS), proxmoxHost || SUITE_PROXMOX_HOST);
  }

  public SimulatedGuest guest(int index) {
    return fleet.guest(index);
  }

  public SimulatedProxmoxHost proxmoxHost() {
    return fleet.proxmoxHost();
  }

  public ClientKeys keys() {
    return fleet.keys();
  }

  /** A folder of this run for the test's own files (known_hosts copies and such). */
  public Path workDir() {
    return fleet.base();
  }
}
