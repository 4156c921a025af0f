package ai.thinkheads.phoenix.certs.worker.plugins;

import ai.thinkheads.phoenix.certs.activities.issuer.Issuer;
import ai.thinkheads.phoenix.certs.worker.inventory.CaSettings;

/** Makes the issuer of one {@code ca.type} from the inventory's CA settings. */
public interface IssuerProvider {

  String type();

  Issuer create(CaSettings settings);
}
