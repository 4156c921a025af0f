package ai.thinkheads.phoenix.certs.workflows.guest;

/**
 * A trust store on a guest that must hold the root CA: {@code system} (the OS bundle), {@code docker} (the Docker
 * daemon's certs.d for the CA's host:port), {@code traefik} (/etc/traefik/ssl), or an absolute {@code path}.
 */
public record TrustTarget(String kind, String path) {

  public static final String SYSTEM = "system";
  public static final String DOCKER = "docker";
  public static final String TRAEFIK = "traefik";
  public static final String PATH = "path";

  /** Parses an inventory entry: a known kind, or an absolute path. */
  public static TrustTarget of(String entry) {
    return entry.startsWith("/") ? new TrustTarget(PATH, entry) : new TrustTarget(entry, null);
  }

  public String describe() {
    return PATH.equals(kind) ? path : kind;
  }
}
