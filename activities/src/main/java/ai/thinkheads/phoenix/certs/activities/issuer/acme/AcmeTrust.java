package ai.thinkheads.phoenix.certs.activities.issuer.acme;

import ai.thinkheads.phoenix.certs.workflows.failure.FailureType;
import ai.thinkheads.phoenix.certs.activities.crypto.Pem;
import ai.thinkheads.phoenix.certs.activities.issuer.stepca.PinnedRoot;
import ai.thinkheads.phoenix.certs.activities.steps.StepFailedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Whom an ACME issuer trusts: for TLS to the directory, and as the root its certificates must chain to. With a
 * fingerprint, a step-ca's root fetched and pinned as the step-ca issuer pins it, for both; otherwise the
 * inventory's CA bundle (or the JVM's trust store) for TLS, and its root file for the chains.
 */
record AcmeTrust(SSLContext tls, X509Certificate root) {

  static AcmeTrust of(AcmeConfig config) {
    if (config.fingerprint() != null) {
      PinnedRoot pinned = PinnedRoot.fetch(config.caBase(), config.fingerprint());
      return new AcmeTrust(pinned.sslContext(null), pinned.certificate());
    }
    SSLContext tls = config.caBundle() == null ? defaultTls() : bundle(config.caBundle());
    return new AcmeTrust(tls, certificates(config.root(), "root").get(0));
  }

  private static SSLContext bundle(Path file) {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (X509Certificate ca : certificates(file, "caBundle")) {
        store.setCertificateEntry("ca-" + i++, ca);
      }
      TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
      trust.init(store);
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(null, trust.getTrustManagers(), null);
      return tls;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build TLS trust from " + file + ": " + e.getMessage(), e);
    }
  }

  private static SSLContext defaultTls() {
    try {
      return SSLContext.getDefault();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no default TLS: " + e.getMessage(), e);
    }
  }

  private static List<X509Certificate> certificates(Path file, String option) {
    try {
      return Pem.certificates(Files.readString(file, StandardCharsets.US_ASCII));
    } catch (IOException | Pem.InvalidPemException e) {
      throw new StepFailedException(FailureType.INVALID_SPEC, "ca." + option + " " + file + ": cannot read certificates from "
          + "it: " + e.getMessage());
    }
  }
}
