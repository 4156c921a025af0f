package ai.thinkheads.phoenix.certs.activities.issuer.stepca;

import ai.thinkheads.phoenix.certs.workflows.failure.FailureType;
import ai.thinkheads.phoenix.certs.activities.crypto.CertificateFacts;
import ai.thinkheads.phoenix.certs.activities.crypto.Pem;
import ai.thinkheads.phoenix.certs.activities.steps.StepFailedException;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The step-ca's root, accepted only because the SHA-256 of its DER equals the pinned fingerprint (as
 * {@code step ca bootstrap} does). From then on every connection to the CA trusts this root and nothing else.
 */
public final class PinnedRoot {

  private final X509Certificate certificate;
  private final String fingerprint;
  private final TrustManager[] trustManagers;

  private PinnedRoot(X509Certificate certificate) {
    this.certificate = certificate;
    this.fingerprint = CertificateFacts.fingerprint(certificate);
    this.trustManagers = trustOnly(certificate);
  }

  /** From the config's local root file when it names one, else fetched from the CA's {@code /roots}. */
  public static PinnedRoot bootstrap(StepCaConfig config) {
    return config.rootFile() != null ? fromFile(config) : fetch(config);
  }

  /**
   * Fetches {@code /roots} over TLS that trusts anything: the answer is only data here, accepted if its hash is
   * the pin. A man in the middle can withhold the root, never substitute one.
   */
  static PinnedRoot fetch(StepCaConfig config) {
    return fetch(config.url(), config.fingerprint());
  }

  /**
   * The root of the step-ca at {@code url} (its base, where {@code /roots} is) whose SHA-256 is
   * {@code fingerprint} (lower-case hex): how the step-ca and acme issuers pin it.
   */
  public static PinnedRoot fetch(URI url, String fingerprint) {
    StepCaClient bootstrap = new StepCaClient(url, context(new TrustManager[] {new AnyServer()}, null));
    List<String> offered = new ArrayList<>();
    for (String pem : bootstrap.roots()) {
      X509Certificate root = parse(pem, url + "/roots");
      String offeredPrint = CertificateFacts.fingerprint(root);
      if (offeredPrint.equals(fingerprint)) {
        return new PinnedRoot(root);
      }
      offered.add(offeredPrint + " (" + root.getSubjectX500Principal().getName() + ")");
    }
    throw new StepFailedException(FailureType.ISSUER_UNTRUSTED, "step-ca at " + url + " offers root " + String.join(", ",
        offered) + ", but the pinned fingerprint is " + fingerprint + "; refusing to trust it. Check "
        + "ca.fingerprint against `step certificate fingerprint root_ca.crt` on the CA host");
  }

  static PinnedRoot fromFile(StepCaConfig config) {
    X509Certificate root;
    try {
      root = parse(Files.readString(config.rootFile(), StandardCharsets.US_ASCII), config.rootFile().toString());
    } catch (IOException e) {
      throw new StepFailedException(FailureType.INVALID_SPEC, "cannot read the step-ca root " + config.rootFile() + ": "
          + e.getMessage() + "; run `step ca bootstrap` again or drop the root setting to fetch it");
    }
    String fingerprint = CertificateFacts.fingerprint(root);
    if (!fingerprint.equals(config.fingerprint())) {
      throw new StepFailedException(FailureType.ISSUER_UNTRUSTED, "root " + config.rootFile() + " has fingerprint " + fingerprint
          + ", but the pinned fingerprint is " + config.fingerprint() + "; refusing to trust it");
    }
    return new PinnedRoot(root);
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /** SHA-256 of the root's DER: the pin it matched, and every token's {@code sha} claim. */
  public String fingerprint() {
    return fingerprint;
  }

  /** TLS that trusts this root only; {@code identity} presents a client certificate (mTLS), or null. */
  public SSLContext sslContext(KeyManager identity) {
    return context(trustManagers, identity == null ? null : new KeyManager[] {identity});
  }

  private static SSLContext context(TrustManager[] trust, KeyManager[] keys) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys, trust, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up TLS to the step-ca: " + e.getMessage(), e);
    }
  }

  private static TrustManager[] trustOnly(X509Certificate root) {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      store.setCertificateEntry("step-ca-root", root);
      TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
      factory.init(store);
      return factory.getTrustManagers();
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build a trust store for the pinned root: " + e.getMessage(), e);
    }
  }

  private static X509Certificate parse(String pem, String source) {
    try {
      return Pem.certificates(pem).get(0);
    } catch (Pem.InvalidPemException e) {
      throw new StepFailedException(FailureType.ISSUER_UNTRUSTED, "root from " + source + " is unreadable: " + e.getMessage());
    }
  }

  /** Accepts any server: only for downloading the roots, whose hash is checked before anything trusts them. */
  private static final class AnyServer extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
