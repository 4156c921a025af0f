package ai.thinkheads.phoenix.certs.workflows.certificate;

import java.time.Instant;

/**
 * A certificate issued and written next to the live files, waiting for {@code activate}. The key was made and
 * written inside {@code issueAndStage}; only public data comes back.
 *
 * @param certificatePem the chain as it is deployed: the leaf, then its intermediates
 */
public record StagedCertificate(
    String serial,
    Instant notBefore,
    Instant notAfter,
    String fingerprint,
    String certificatePem,
    String stagedCert,
    String stagedKey) {}
