package ai.thinkheads.phoenix.certs.activities.issuer;

import ai.thinkheads.phoenix.certs.workflows.model.KeyUsage;
import java.time.Duration;
import java.util.List;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/** What an issuer is asked to sign: a CSR (public), the names and usages wanted, and the lifetime (null: default). */
public record IssueRequest(
    String certificateName,
    PKCS10CertificationRequest csr,
    String commonName,
    List<String> sans,
    List<KeyUsage> usages,
    Duration lifetime) {}
