package ai.thinkheads.phoenix.certs.worker.http;

import ai.thinkheads.phoenix.certs.worker.engine.Engine;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.server.netty.NettyEmbeddedServer;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The events endpoint of a running engine: checks the token file, attaches the engine, drains the spool, then
 * starts Micronaut's HTTP server. Only {@code run} and {@code dev} call this, so {@code check} never listens.
 */
public final class EventsServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EventsServer.class);
  /** Where {@code dev} keeps the token it makes when none is configured. */
  public static final Path DEV_TOKEN = Path.of("var", "events.token");

  private final EmbeddedServer server;

  private EventsServer(EmbeddedServer server) {
    this.server = server;
  }

  /**
   * Empty when disabled, or (outside dev) when no token file is configured: the endpoint never runs without a
   * token. Throws {@link EventsConfigException} when the token file is unusable or the port is taken.
   */
  public static Optional<EventsServer> start(ApplicationContext context, Engine engine, boolean dev) {
    EventsConfig config = context.getBean(EventsConfig.class);
    if (!config.enabled()) {
      log.info("events endpoint disabled (phoenix.events.enabled=false)");
      return Optional.empty();
    }
    Path tokenFile;
    if (config.tokenFile() != null) {
      tokenFile = Path.of(config.tokenFile());
    } else if (dev) {
      tokenFile = devToken();
    } else {
      log.warn("events endpoint off: no token file configured. Set phoenix.events.token-file "
          + "(PHOENIX_EVENTS_TOKEN_FILE) to receive the Proxmox hookscript's events");
      return Optional.empty();
    }
    context.getBean(EventsAuth.class).use(BearerToken.read(tokenFile));
    GuestEventService service = context.getBean(GuestEventService.class);
    service.attach(engine.client(), engine.inventory());
    context.getBean(StatusService.class).attach(engine.statuses(), engine.inventory());
    if (config.spoolDir() != null) {
      SpoolDelivery.deliver(Path.of(config.spoolDir()), service);
    }
    EmbeddedServer server = context.getBean(EmbeddedServer.class);
    try {
      server.start();
    } catch (RuntimeException e) {
      throw new EventsConfigException("cannot open the events endpoint on " + address(context) + ": "
          + rootMessage(e) + "; free the port or set micronaut.server.port (MICRONAUT_SERVER_PORT)", e);
    }
    log.info("events endpoint on {} (token in {})", server.getURL(), tokenFile);
    return Optional.of(new EventsServer(server));
  }

  public int port() {
    return server.getPort();
  }

  /** Stops listening; leaves the application context (and the engine) to their owners. */
  @Override
  public void close() {
    if (server instanceof NettyEmbeddedServer netty) {
      netty.stopServerOnly();
    } else {
      server.stop();
    }
  }

  /** dev has no configuration to name a token file: it makes one, readable by this user only. */
  private static Path devToken() {
    try {
      if (!Files.exists(DEV_TOKEN)) {
        Files.createDirectories(DEV_TOKEN.toAbsolutePath().getParent());
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        Files.writeString(DEV_TOKEN, Base64.getEncoder().encodeToString(random) + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(DEV_TOKEN, PosixFilePermissions.fromString("rw-------"));
      }
      return DEV_TOKEN;
    } catch (IOException | UnsupportedOperationException e) {
      throw new EventsConfigException("cannot write the dev events token " + DEV_TOKEN.toAbsolutePath() + ": " + e
          + "; set phoenix.events.token-file to an existing token file", e);
    }
  }

  private static String address(ApplicationContext context) {
    return context.getProperty("micronaut.server.host", String.class).orElse("*") + ":"
        + context.getProperty("micronaut.server.port", String.class).orElse("8080");
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.toString() : root.getMessage();
  }
}
