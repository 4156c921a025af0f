package ai.thinkheads.phoenix.certs.worker.inventory;

import ai.thinkheads.phoenix.certs.activities.estate.SpecDigest;
import ai.thinkheads.phoenix.certs.activities.issuer.IssuanceLimiter;
import ai.thinkheads.phoenix.certs.activities.issuer.Issuer;
import ai.thinkheads.phoenix.certs.activities.issuer.IssuerContext;
import ai.thinkheads.phoenix.certs.activities.issuer.LimitedIssuer;
import ai.thinkheads.phoenix.certs.activities.plugin.PluginRegistry;
import ai.thinkheads.phoenix.certs.activities.plugin.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one owner of the worker's inventory. It holds the current {@link InventorySnapshot}; {@link #reload()}
 * re-reads the file, and a valid edit replaces the snapshot whole, while an invalid one keeps the last good
 * snapshot running and is kept, with every problem, for {@code status} to show. The issuer is made again only
 * when the {@code ca:} section changes, so a step-ca provisioner key is decrypted once per CA, not per reload.
 */
public final class InventoryStore implements Supplier<InventorySnapshot> {

  private static final Logger log = LoggerFactory.getLogger(InventoryStore.class);

  /** What a reload found: the same file, a new valid one, an invalid one, or the one in use again after that. */
  public enum Outcome { UNCHANGED, CHANGED, INVALID, MENDED }

  private final Path file;
  private final InventoryLoader loader;
  private final Function<Settings, Issuer> issuers;
  private final Clock clock;
  private final ReferencedFiles files;
  private volatile InventorySnapshot current;
  /** Problems of the file as it is now, when it does not validate (the snapshot is then older); else empty. */
  private volatile List<String> problems = List.of();
  private String lastBadDigest;

  private InventoryStore(Path file, InventoryLoader loader, Function<Settings, Issuer> issuers, Clock clock) {
    this.file = file;
    this.loader = loader;
    this.files = new ReferencedFiles(loader.plugins());
    this.issuers = issuers;
    this.clock = clock;
  }

  /**
   * Reads and validates {@code file} against {@code plugins}; the issuer is the one its {@code ca:} describes, and
   * reaches a certificate's guest through this store's current snapshot. Throws {@link InventoryException} when
   * the file is not valid: nothing starts.
   */
  public static InventoryStore open(Path file, PluginRegistry plugins) {
    AtomicReference<InventoryStore> self = new AtomicReference<>();
    IssuerContext context = IssuerContext.of(() -> self.get().get(), plugins);
    // every issuer this worker makes (one per CA the inventory names) takes its requests in turn: a renewal storm
    // reaches the CA at PHOENIX_CA_RATE and PHOENIX_CA_CONCURRENCY, and a busy CA slows it instead of failing it
    InventoryStore store = open(file, new InventoryLoader(plugins),
        ca -> new LimitedIssuer(plugins.issuer(ca, context), IssuanceLimiter.fromEnvironment()));
    self.set(store);
    return store;
  }

  /** Reads and validates {@code file}; throws {@link InventoryException} when it is not valid: nothing starts. */
  public static InventoryStore open(Path file, InventoryLoader loader, Function<Settings, Issuer> issuers) {
    InventoryStore store = new InventoryStore(file, loader, issuers, Clock.systemUTC());
    byte[] bytes = store.read();
    Inventory inventory = loader.parse(file.toString(), new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
    Settings partner = inventory.partnerCa();
    store.current = InventorySnapshot.of(inventory, issuers.apply(inventory.ca()),
        partner == null ? null : issuers.apply(partner), store.digest(bytes, inventory), store.clock.instant(),
        store.files);
    return store;
  }

  @Override
  public InventorySnapshot get() {
    return current;
  }

  public Path file() {
    return file;
  }

  /** Why the file as it is now is not in use; empty when the snapshot is the file. */
  public List<String> problems() {
    return problems;
  }

  /** The digest of an inventory: its bytes, and the files it names (a changed password file is a change). */
  private String digest(byte[] bytes, Inventory inventory) {
    return SpecDigest.of(bytes) + "/" + ReferencedFiles.digest(files.of(inventory));
  }

  /**
   * Re-reads the file and the files it names. Unchanged, that costs reading them and a hash. A valid edit becomes
   * the snapshot; an invalid one (or an unreadable file) keeps the last good snapshot, and its problems are
   * logged once per edit.
   */
  public synchronized Outcome reload() {
    byte[] bytes;
    try {
      bytes = read();
    } catch (InventoryException unreadable) {
      return invalid(SpecDigest.of(unreadable.getMessage()), unreadable);
    }
    String sameFiles = SpecDigest.of(bytes) + "/" + ReferencedFiles.digest(files.of(current.inventory()));
    if (sameFiles.equals(current.digest())) {
      boolean mended = !problems.isEmpty();
      problems = List.of();
      lastBadDigest = null;
      return mended ? Outcome.MENDED : Outcome.UNCHANGED;
    }
    Inventory inventory;
    try {
      inventory = loader.parse(file.toString(), new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
    } catch (InventoryException e) {
      return invalid(sameFiles, e);
    }
    String digest = digest(bytes, inventory);
    Issuer issuer;
    Issuer partner;
    try {
      // a new issuer for another CA, or for the same one whose files changed (a fixed password file)
      boolean sameCa = InventorySnapshot.caDigest(inventory.ca(), files.ofCa(inventory.ca()))
          .equals(current.caDigest());
      issuer = sameCa ? current.issuer() : issuers.apply(inventory.ca());
      partner = partnerIssuer(inventory.partnerCa());
    } catch (RuntimeException e) {
      return invalid(digest, new InventoryException(List.of(new InventoryError(file.toString(), Location.START, "ca",
          "cannot set up the " + inventory.ca().type() + " issuer: " + e.getMessage()))));
    }
    current = InventorySnapshot.of(inventory, issuer, partner, digest, clock.instant(), files);
    problems = List.of();
    lastBadDigest = null;
    log.info("inventory {} changed: {} guests, {} certificates, CA {}", file, inventory.guests().size(),
        inventory.certificates().size(), inventory.ca().type());
    return Outcome.CHANGED;
  }

  /**
   * The issuer of a rotation's other CA: the one in use when its settings are unchanged, or the issuer that was
   * {@code ca:} when the edit moved it to {@code ca.previous} (a step-ca key is not decrypted again).
   */
  private Issuer partnerIssuer(Settings partner) {
    if (partner == null) {
      return null;
    }
    if (partner.equals(current.inventory().partnerCa()) && current.partner() != null) {
      return current.partner();
    }
    return partner.equals(current.inventory().ca()) ? current.issuer() : issuers.apply(partner);
  }

  private Outcome invalid(String digest, InventoryException e) {
    problems = e.errors().stream().map(Object::toString).toList();
    if (!digest.equals(lastBadDigest)) {
      lastBadDigest = digest;
      log.error("inventory {} is not valid; the last good inventory ({} certificates) keeps running. {}", file,
          current.certificates().size(), e.getMessage());
    }
    return Outcome.INVALID;
  }

  private byte[] read() {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new InventoryException(List.of(new InventoryError(file.toString(), Location.START, "",
          "cannot read the inventory: " + e)));
    }
  }
}
