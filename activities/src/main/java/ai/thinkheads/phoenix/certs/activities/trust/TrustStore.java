package ai.thinkheads.phoenix.certs.activities.trust;

import ai.thinkheads.phoenix.certs.workflows.guest.GuestFacts;
import ai.thinkheads.phoenix.certs.workflows.guest.TrustTarget;
import java.net.URI;
import java.util.List;

/**
 * Where one trust store keeps the root on a guest, how it is rebuilt after a change (null: read as is), and the
 * bundle a rebuild produces (null: none). {@code path} is the store's usual file; during a CA rotation a second
 * root goes beside it as {@link #fileFor(String)} (directories whose every {@code *.crt} counts: the system's
 * local certificates, Docker's certs.d, Traefik's ssl folder), or, for a store that is one file
 * ({@code singleFile}), the file holds every root.
 */
public record TrustStore(String path, List<String> rebuild, String bundle, boolean singleFile) {

  static final String FILE_NAME = "phoenix_ca.crt";

  public TrustStore(String path, List<String> rebuild, String bundle) {
    this(path, rebuild, bundle, false);
  }

  public static TrustStore of(TrustTarget target, GuestFacts facts, String caHealthUrl) {
    return switch (target.kind()) {
      case TrustTarget.SYSTEM -> "rhel".equals(facts.osFamily())
          ? new TrustStore("/etc/pki/ca-trust/source/anchors/" + FILE_NAME, List.of("update-ca-trust", "extract"),
              "/etc/pki/tls/certs/ca-bundle.crt")
          : new TrustStore("/usr/local/share/ca-certificates/" + FILE_NAME, List.of("update-ca-certificates"),
              "/etc/ssl/certs/ca-certificates.crt");
      case TrustTarget.DOCKER -> new TrustStore("/etc/docker/certs.d/" + registryOf(caHealthUrl) + "/ca.crt", null,
          null);
      case TrustTarget.TRAEFIK -> new TrustStore("/etc/traefik/ssl/" + FILE_NAME, null, null);
      case TrustTarget.PATH -> new TrustStore(target.path(), null, null, true);
      default -> throw new IllegalArgumentException("unknown trust target " + target.kind());
    };
  }

  /**
   * The stores {@code target} stands for with these CA addresses: one, except Docker's during a rotation between
   * CAs at different addresses (a certs.d folder each).
   */
  public static List<TrustStore> all(TrustTarget target, GuestFacts facts, List<String> caHealthUrls) {
    java.util.Map<String, TrustStore> stores = new java.util.LinkedHashMap<>();
    for (String url : caHealthUrls) {
      TrustStore store = of(target, facts, url);
      stores.putIfAbsent(store.path(), store);
    }
    return List.copyOf(stores.values());
  }

  /**
   * The file for a root other than the one in {@link #path}, beside it: {@code phoenix_ca-<fingerprint, 16 hex>.crt}
   * (a {@code .crt} name, so update-ca-certificates and Docker read it).
   */
  public String fileFor(String fingerprint) {
    String dir = path.substring(0, path.lastIndexOf('/') + 1);
    return dir + "phoenix_ca-" + fingerprint.substring(0, Math.min(16, fingerprint.length())) + ".crt";
  }

  /** The Docker daemon looks up certs.d/<host:port>: the CA's own address, as pulls from it name it. */
  static String registryOf(String caUrl) {
    if (caUrl == null) {
      return "phoenix-ca";
    }
    URI uri = URI.create(caUrl);
    return uri.getPort() > 0 ? uri.getHost() + ":" + uri.getPort() : uri.getHost();
  }
}
