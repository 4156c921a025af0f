package ai.thinkheads.phoenix.certs.activities.issuer;

import ai.thinkheads.phoenix.certs.activities.estate.Estate;
import ai.thinkheads.phoenix.certs.activities.plugin.PluginRegistry;
import ai.thinkheads.phoenix.certs.activities.transport.Transport;
import ai.thinkheads.phoenix.certs.activities.transport.TransportException;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What an issuer may use besides its own settings: the guest that holds a certificate, found by the certificate's
 * name in the worker's inventory (an ACME issuer answers http-01 there). Names in, never a path or a target.
 */
public final class IssuerContext {

  private final Function<String, Transport> guests;

  public IssuerContext(Function<String, Transport> guests) {
    this.guests = guests;
  }

  /** Guests as the current inventory lists them, reached through {@code plugins}' transports. */
  public static IssuerContext of(Supplier<? extends Estate> estate, PluginRegistry plugins) {
    return new IssuerContext(name -> {
      CertificateSpec spec = estate.get().certificate(name).orElseThrow(() -> new TransportException(
          "certificate " + name + " is not in this worker's inventory; no guest to answer its challenge on", false));
      return plugins.transport(spec.target().transport()).open(spec.target());
    });
  }

  /** For issuers that never reach a guest (and checks that make no issuer act). */
  public static IssuerContext none() {
    return new IssuerContext(name -> {
      throw new IllegalStateException("this issuer has no access to guests (asked for " + name + "'s)");
    });
  }

  /** The transport to the guest that holds {@code certificateName}. */
  public Transport guestOf(String certificateName) {
    return guests.apply(certificateName);
  }
}
