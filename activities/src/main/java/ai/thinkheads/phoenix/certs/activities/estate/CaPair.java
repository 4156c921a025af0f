package ai.thinkheads.phoenix.certs.activities.estate;

import ai.thinkheads.phoenix.certs.activities.issuer.Issuer;
import ai.thinkheads.phoenix.certs.activities.crypto.CertificateFacts;
import ai.thinkheads.phoenix.certs.workflows.rotation.RotationTarget;

/**
 * The two CAs an inventory names for a rotation: {@code ca:} and {@code ca.next:} ({@link RotationTarget#NEXT}), or
 * {@code ca.previous:} and {@code ca:} ({@link RotationTarget#CURRENT}). Each has an id made from its settings alone
 * (no file contents): the rotation records them, and a worker applies a rotation's phase only to the pair it names.
 */
public record CaPair(RotationTarget target, String fromId, Issuer from, String toId, Issuer to) {

  public boolean rootChanges() {
    return !CertificateFacts.fingerprint(from.root()).equals(CertificateFacts.fingerprint(to.root()));
  }
}
