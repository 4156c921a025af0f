package ai.thinkheads.phoenix.certs.activities.certificate;

import ai.thinkheads.phoenix.certs.workflows.failure.FailureType;
import ai.thinkheads.phoenix.certs.activities.ActivityGuard;
import ai.thinkheads.phoenix.certs.activities.estate.Authority;
import ai.thinkheads.phoenix.certs.activities.estate.Estate;
import ai.thinkheads.phoenix.certs.activities.crypto.CertificateFacts;
import ai.thinkheads.phoenix.certs.activities.crypto.Csrs;
import ai.thinkheads.phoenix.certs.activities.crypto.KeyPairs;
import ai.thinkheads.phoenix.certs.activities.crypto.Pem;
import ai.thinkheads.phoenix.certs.activities.crypto.SubjectNames;
import ai.thinkheads.phoenix.certs.activities.issuer.HeldCertificate;
import ai.thinkheads.phoenix.certs.activities.issuer.IssueRequest;
import ai.thinkheads.phoenix.certs.activities.issuer.IssuedCertificate;
import ai.thinkheads.phoenix.certs.activities.issuer.Issuer;
import ai.thinkheads.phoenix.certs.activities.issuer.IssuerRejectedException;
import ai.thinkheads.phoenix.certs.activities.plugin.PluginRegistry;
import ai.thinkheads.phoenix.certs.activities.steps.StepContext;
import ai.thinkheads.phoenix.certs.activities.transport.FileAttributes;
import ai.thinkheads.phoenix.certs.activities.transport.Transport;
import ai.thinkheads.phoenix.certs.workflows.certificate.ActivationResult;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateActivities;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateRef;
import ai.thinkheads.phoenix.certs.workflows.certificate.Inspection;
import ai.thinkheads.phoenix.certs.workflows.certificate.StagedCertificate;
import ai.thinkheads.phoenix.certs.workflows.certificate.StepResult;
import ai.thinkheads.phoenix.certs.workflows.certificate.TargetState;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateFiles;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;
import io.temporal.failure.ApplicationFailure;
import ai.thinkheads.phoenix.certs.activities.issuer.RevocationReason;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificate steps on real issuers and transports. Every method is idempotent: a retry after a crash at
 * any point finishes the job or finds it done. Failures leave as {@link ApplicationFailure}s whose type tells
 * the workflow whether a retry can help.
 */
public final class CertificateActivitiesImpl implements CertificateActivities {

  private static final Logger log = LoggerFactory.getLogger(CertificateActivitiesImpl.class);

  static final String STAGED = ".staged";
  /**
   * The pair a cycle replaced: its rollback point. It becomes the .bak when the cycle settles; a rollback copies
   * it back (and the next activation overwrites it), so the .bak is always the last good pair unlike the live one.
   */
  static final String PREVIOUS = ".previous";

  /**
   * `nginx -s reload` (and `systemctl reload nginx`, which runs it) returns before nginx has read its files; a
   * pair swapped in that moment would make the reload fail. The reload (whose coordinator holds the guest's pairs
   * shared while it runs) returns only this long after.
   */
  static final Duration RELOAD_READ_GRACE = Duration.ofSeconds(1);

  private final Authority authority;
  private final PluginRegistry catalog;
  private final Clock clock;

  public CertificateActivitiesImpl(Authority authority, PluginRegistry catalog) {
    this(authority, catalog, Clock.systemUTC());
  }

  /** @param clock the time answers are judged at (tests follow Temporal's skipped time with it) */
  public CertificateActivitiesImpl(Authority authority, PluginRegistry catalog, Clock clock) {
    this.authority = authority;
    this.catalog = catalog;
    this.clock = clock;
  }

  @Override
  public Inspection inspect(String name) {
    Estate estate = authority.estate();
    CertificateSpec spec = authority.certificate(estate, name);
    return ActivityGuard.run(() -> {
      LivePair pair = LivePair.read(transport(spec), spec.files());
      CertificateFacts f = pair.facts();
      TargetState state = f == null ? TargetState.unusable(pair.problem())
          : new TargetState(true, pair.problem(), f.serial(), f.notBefore(), f.notAfter(), f.sans(), f.key(),
              f.fingerprint());
      return new Inspection(state, spec.policy(estate.digest(name)));
    });
  }

  @Override
  public StagedCertificate issueAndStage(CertificateRef ref) {
    Estate estate = authority.estate();
    CertificateSpec spec = authority.certificate(estate, ref);
    return ActivityGuard.run(() -> {
      Issuer issuer = estate.issuer();
      log.info("{}: issuing from the {} CA with root {} ({})", spec.name(), issuer.type(),
          CertificateFacts.fingerprint(issuer.root()).substring(0, 16), estate);
      Transport transport = transport(spec);
      KeyPair keys = KeyPairs.generate(spec.key());
      List<String> sans = spec.sans().stream().map(SubjectNames::canonical).toList();
      // The live pair lets an issuer renew from it (step-ca: mTLS rekey) instead of using its provisioner.
      HeldCertificate current = LivePair.held(transport, spec.files()).orElse(null);
      IssuedCertificate issued = issuer.reissue(new IssueRequest(spec.name(),
          Csrs.create(keys, spec.commonName(), sans), spec.commonName(), sans, spec.usages(), spec.lifetime()),
          current);
      X509Certificate leaf = issued.leaf();
      // Never hand a target a certificate other than the one asked for.
      RequestCheck.check(spec, keys.getPublic(), sans, leaf, clock.instant());
      CertificateFiles files = spec.files();
      String chainPem = Pem.encodeChain(issued.chain());
      stage(transport, files, Pem.bytes(Pem.encode(keys.getPrivate())), Pem.bytes(chainPem));
      if (files.ca() != null) {
        transport.write(files.ca(), Pem.bytes(Pem.encode(issued.root())), new FileAttributes(files.certMode(),
            files.owner()));
      }
      CertificateFacts facts = CertificateFacts.of(leaf);
      return new StagedCertificate(facts.serial(), facts.notBefore(), facts.notAfter(), facts.fingerprint(),
          chainPem, files.cert() + STAGED, files.key() + STAGED);
    });
  }

  /**
   * Writes the key, then the certificate, next to the live files. A write that fails (no room, a dropped
   * connection) takes the other staged file with it: no private key is left behind by a failed attempt.
   */
  private static void stage(Transport transport, CertificateFiles files, byte[] key, byte[] chain) {
    try {
      transport.write(files.key() + STAGED, key, new FileAttributes(files.keyMode(), files.owner()));
      transport.write(files.cert() + STAGED, chain, new FileAttributes(files.certMode(), files.owner()));
    } catch (RuntimeException e) {
      discard(transport, files, e);
      throw e;
    }
  }

  private static void discard(Transport transport, CertificateFiles files, RuntimeException cause) {
    for (String path : List.of(files.key() + STAGED, files.cert() + STAGED)) {
      try {
        transport.delete(path);
      } catch (RuntimeException alsoFailed) {
        cause.addSuppressed(alsoFailed);
      }
    }
  }

  @Override
  public void discardStaged(CertificateRef ref) {
    CertificateSpec spec = authority.certificate(authority.estate(), ref);
    ActivityGuard.run(() -> {
      Transport transport = transport(spec);
      transport.delete(spec.files().key() + STAGED);
      transport.delete(spec.files().cert() + STAGED);
      return null;
    });
  }

  @Override
  public ActivationResult activate(CertificateRef ref, String serial) {
    CertificateSpec spec = authority.certificate(authority.estate(), ref);
    return ActivityGuard.run(() -> {
      Transport transport = transport(spec);
      CertificateFiles files = spec.files();
      // The staged paths follow from the inventory's files, never from the caller.
      String stagedCert = files.cert() + STAGED;
      String stagedKey = files.key() + STAGED;
      LivePair live = LivePair.read(transport, files);
      String liveSerial = live.facts() == null ? null : live.facts().serial();
      boolean certStaged = transport.exists(stagedCert);
      boolean keyStaged = transport.exists(stagedKey);
      if (!certStaged) {
        if (serial.equals(liveSerial) && live.problem() == null) {
          return new ActivationResult(serial, previousSerial(transport, files)); // done by an earlier try
        }
        throw FailureType.INVALID_SPEC.failure("staged certificate " + stagedCert + " is gone on "
            + transport.describe() + " and serial " + serial + " is not live");
      }
      String stagedSerial = stagedSerial(transport, stagedCert);
      if (!serial.equals(stagedSerial)) {
        throw FailureType.INVALID_SPEC.failure("staged certificate " + stagedCert + " on "
            + transport.describe() + " has serial " + stagedSerial + ", not " + serial
            + " (another cycle staged it); not activating");
      }
      String previous = null;
      if (keyStaged) {
        // First attempt: keep the current pair as the rollback point, then swap key and certificate.
        if (live.facts() != null && transport.exists(files.key())) {
          transport.copy(files.key(), files.key() + PREVIOUS, new FileAttributes(files.keyMode(), files.owner()));
          transport.copy(files.cert(), files.cert() + PREVIOUS, new FileAttributes(files.certMode(),
              files.owner()));
          previous = liveSerial;
        }
        transport.renamePair(stagedKey, files.key(), stagedCert, files.cert());
      } else {
        // A retry after a transport that renames one file at a time swapped only the key.
        previous = previousSerial(transport, files);
        transport.rename(stagedCert, files.cert());
      }
      return new ActivationResult(serial, previous);
    });
  }

  private static String stagedSerial(Transport transport, String stagedCert) {
    LivePair staged = LivePair.read(transport, stagedCert, stagedCert);
    return staged.facts() == null ? null : staged.facts().serial();
  }

  private static String previousSerial(Transport transport, CertificateFiles files) {
    LivePair previous = LivePair.read(transport, files.cert() + PREVIOUS, files.key() + PREVIOUS);
    return previous.facts() == null ? null : previous.facts().serial();
  }

  @Override
  public void settle(CertificateRef ref) {
    CertificateSpec spec = authority.certificate(authority.estate(), ref);
    ActivityGuard.run(() -> {
      Transport transport = transport(spec);
      CertificateFiles files = spec.files();
      if (transport.exists(files.cert() + PREVIOUS)) {
        // Key first: a pair half moved is a .bak key beside the old .bak certificate, never a live file touched.
        transport.renamePair(files.key() + PREVIOUS, Transport.backupOf(files.key()), files.cert() + PREVIOUS,
            Transport.backupOf(files.cert()));
      }
      return null;
    });
  }

  @Override
  public StepResult validate(CertificateRef ref) {
    CertificateSpec spec = authority.certificate(authority.estate(), ref);
    if (spec.validate().isNone()) {
      return StepResult.skipped("validate");
    }
    return ActivityGuard.run(() -> new StepResult("validate", false,
        catalog.validator(spec.validate().type()).validate(context("validate", spec, null))));
  }

  /** Run by the guest's coordinator, once for every certificate of a batch that shares this reload. */
  @Override
  public StepResult reload(CertificateRef ref) {
    CertificateSpec spec = authority.certificateForGuest(authority.estate(), ref);
    if (spec.reload().isNone()) {
      return StepResult.skipped("reload");
    }
    return ActivityGuard.run(() -> {
      String output = catalog.reloader(spec.reload().type()).reload(context("reload", spec, null));
      pause(RELOAD_READ_GRACE);
      return new StepResult("reload", false, output);
    });
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public StepResult verify(CertificateRef ref, String expectedSerial) {
    Estate estate = authority.estate();
    CertificateSpec spec = authority.certificate(estate, ref);
    if (spec.verify().isNone()) {
      return StepResult.skipped("verify");
    }
    return ActivityGuard.run(() -> new StepResult("verify", false,
        catalog.verifier(spec.verify().type()).verify(context("verify", spec, estate), expectedSerial)));
  }

  @Override
  public String revoke(CertificateRef ref, String serial) {
    Estate estate = authority.estate();
    CertificateSpec spec = authority.certificate(estate, ref);
    return ActivityGuard.run(() -> {
      Transport transport = transport(spec);
      for (String path : List.of(spec.files().cert(), spec.files().cert() + PREVIOUS,
          Transport.backupOf(spec.files().cert()))) {
        Optional<byte[]> pem = transport.read(path);
        if (pem.isEmpty()) {
          continue;
        }
        try {
          X509Certificate leaf = Pem.certificates(new String(pem.get(), StandardCharsets.US_ASCII)).get(0);
          if (CertificateFacts.serialOf(leaf).equals(serial)) {
            estate.issuer().revoke(leaf, RevocationReason.SUPERSEDED);
            return serial;
          }
        } catch (Pem.InvalidPemException e) {
          // not this one
        } catch (UnsupportedOperationException e) {
          throw FailureType.INVALID_SPEC.failure(e.getMessage());
        }
      }
      throw FailureType.INVALID_SPEC.failure("no certificate with serial " + serial + " at "
          + spec.files().cert() + " (or its previous or backup pair) on " + transport.describe());
    });
  }

  @Override
  public String rollback(CertificateRef ref) {
    CertificateSpec spec = authority.certificate(authority.estate(), ref);
    return ActivityGuard.run(() -> {
      Transport transport = transport(spec);
      CertificateFiles files = spec.files();
      // Copied, not moved: a retry copies again, and the next activation overwrites it.
      LivePair previous = LivePair.read(transport, files.cert() + PREVIOUS, files.key() + PREVIOUS);
      if (previous.facts() == null) {
        return null;
      }
      if (previous.problem() != null) {
        throw FailureType.ROLLBACK_IMPOSSIBLE.failure("cannot roll back " + spec.name() + ": the pair it replaced "
            + "is unusable: " + previous.problem());
      }
      transport.copy(files.key() + PREVIOUS, files.key(), new FileAttributes(files.keyMode(), files.owner()));
      transport.copy(files.cert() + PREVIOUS, files.cert(), new FileAttributes(files.certMode(), files.owner()));
      return previous.facts().serial();
    });
  }

  /** {@code estate} gives the issuer's root to the steps that need it (verify); null for the others. */
  private StepContext context(String stepName, CertificateSpec spec, Estate estate) {
    return new StepContext(stepName, switch (stepName) {
      case "validate" -> spec.validate();
      case "reload" -> spec.reload();
      default -> spec.verify();
    }, spec, transport(spec), () -> estate.issuer().root());
  }

  private Transport transport(CertificateSpec spec) {
    return catalog.transport(spec.target().transport()).open(spec.target());
  }

}
