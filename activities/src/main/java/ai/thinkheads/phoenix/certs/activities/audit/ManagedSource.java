package ai.thinkheads.phoenix.certs.activities.audit;

import ai.thinkheads.phoenix.certs.activities.crypto.KeyPairs;
import ai.thinkheads.phoenix.certs.activities.crypto.Pem;
import ai.thinkheads.phoenix.certs.activities.plugin.Settings;
import ai.thinkheads.phoenix.certs.activities.transport.Transport;
import ai.thinkheads.phoenix.certs.activities.crypto.CertificateFacts;
import ai.thinkheads.phoenix.certs.workflows.audit.CertificateFact;
import ai.thinkheads.phoenix.certs.workflows.audit.CertificateKind;
import ai.thinkheads.phoenix.certs.workflows.audit.Check;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The certificates the inventory lists ({@code type: managed}, a default source), on each one's guest: the deployed
 * pair (serial, expiry, chain to the pinned root, whether the key matches, SANs against the inventory), whether
 * its {@code cert/<name>} workflow runs, and, where its verify step names a TLS endpoint, the serial served there.
 * The key file is parsed here and dropped: only "matches" leaves.
 */
public final class ManagedSource implements AuditSource {

  public static final String TYPE = "managed";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public boolean perGuest() {
    return true;
  }

  @Override
  public void gather(Settings settings, AuditScope scope, FactSink facts) throws Exception {
    String guestId = scope.guest().id();
    for (CertificateSpec spec : scope.estate().certificates()) {
      if (spec.target() == null || !guestId.equals(spec.target().guestId())) {
        continue;
      }
      CertificateFact fact = measure(spec, scope, facts);
      if (fact != null) {
        facts.add(fact);
      }
    }
  }

  private static CertificateFact measure(CertificateSpec spec, AuditScope scope, FactSink facts) {
    Transport transport = scope.transport();
    String certPath = spec.files().cert();
    Optional<byte[]> content = transport.read(certPath);
    List<X509Certificate> chain = content.map(Measure::certificates).orElse(List.of());
    String workflowId = CertificateWorkflow.workflowIdFor(spec.name());
    if (chain.isEmpty()) {
      facts.add(new Check(scope.guest().id(), "certificate " + spec.name() + " deployed at " + certPath, false,
          content.isEmpty() ? "no file there" : "no certificate in the file"));
      return null;
    }
    X509Certificate leaf = chain.get(0);
    CertificateFact fact = Measure.of(CertificateKind.MANAGED, scope.guest().id(), spec.name(), certPath, leaf,
        chain, scope.pinnedRoot());
    fact = fact.withKeyMatches(keyMatches(transport, spec.files().key(), leaf))
        .withExpectedSans(spec.sans())
        .managed(workflowId, scope.running(workflowId), renewalPoint(spec, leaf));
    if (spec.verify() != null && "tls".equals(spec.verify().type()) && spec.verify().options() != null
        && spec.verify().options().get("endpoint") != null && !"client".equals(spec.verify().options().get("mode"))) {
      String endpoint = spec.verify().options().get("endpoint");
      String serverName = spec.verify().options().getOrDefault("serverName", spec.commonName());
      try {
        String[] hp = TlsProbe.hostPort(endpoint);
        TlsProbe served = TlsProbe.of(hp[0], Integer.parseInt(hp[1]), serverName);
        fact = fact.withServed(CertificateFacts.serialOf(served.chain().get(0)), served.protocol());
      } catch (Exception e) {
        facts.add(new ai.thinkheads.phoenix.certs.workflows.audit.Unreachable(endpoint, "certificate " + spec.name()
            + " served at " + endpoint, e.toString()));
      }
    }
    return fact;
  }

  /** Whether the key beside it matches; null when there is none to read. The key never leaves this method. */
  static Boolean keyMatches(Transport transport, String keyPath, X509Certificate leaf) {
    if (keyPath == null) {
      return null;
    }
    Optional<byte[]> bytes = transport.read(keyPath);
    if (bytes.isEmpty()) {
      return Boolean.FALSE;
    }
    try {
      PrivateKey key = Pem.privateKey(new String(bytes.get(), StandardCharsets.US_ASCII));
      return KeyPairs.matches(key, leaf.getPublicKey());
    } catch (Pem.InvalidPemException e) {
      return Boolean.FALSE;
    }
  }

  static Instant renewalPoint(CertificateSpec spec, X509Certificate leaf) {
    Instant notBefore = leaf.getNotBefore().toInstant();
    Instant notAfter = leaf.getNotAfter().toInstant();
    if (spec.renewBefore() != null) {
      return notAfter.minus(spec.renewBefore());
    }
    double at = spec.renewAt() > 0 ? spec.renewAt() : 2.0 / 3;
    return notBefore.plusMillis((long) (Duration.between(notBefore, notAfter).toMillis() * at));
  }
}
