package ai.thinkheads.phoenix.certs.activities.issuer.stepca;

import ai.thinkheads.phoenix.certs.activities.crypto.Csrs;
import ai.thinkheads.phoenix.certs.activities.crypto.KeyPairs;
import ai.thinkheads.phoenix.certs.activities.issuer.HeldCertificate;
import ai.thinkheads.phoenix.certs.activities.issuer.IssueRequest;
import ai.thinkheads.phoenix.certs.activities.issuer.IssuedCertificate;
import ai.thinkheads.phoenix.certs.workflows.model.KeyAlgorithm;
import ai.thinkheads.phoenix.certs.workflows.model.KeyUsage;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;

/** A request with its key kept beside it, as issueAndStage holds them. */
record Requests(KeyPair keys, IssueRequest request) {

  static Requests of(KeyAlgorithm algorithm, Duration lifetime, String... sans) {
    return of(KeyPairs.generate(algorithm), lifetime, sans);
  }

  static Requests of(KeyPair keys, Duration lifetime, String... sans) {
    List<String> names = List.of(sans);
    return new Requests(keys, new IssueRequest("test-" + names.get(0), Csrs.create(keys, names.get(0), names),
        names.get(0), names, List.of(KeyUsage.SERVER), lifetime));
  }

  HeldCertificate held(IssuedCertificate issued) {
    return new HeldCertificate(issued.chain(), keys.getPrivate());
  }
}
