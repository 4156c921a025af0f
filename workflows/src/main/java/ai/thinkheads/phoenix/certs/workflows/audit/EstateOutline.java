package ai.thinkheads.phoenix.certs.workflows.audit;

import java.util.List;

/** The estate as the inventory draws it, for the report's architecture section and diagram. */
public record EstateOutline(String source, String caType, String caUrl, String pinnedFingerprint,
    List<GuestOutline> guests, List<String> sources) {

  public EstateOutline {
    guests = guests == null ? List.of() : List.copyOf(guests);
    sources = sources == null ? List.of() : List.copyOf(sources);
  }

  /** A guest: its id, name and kind, the stores that must trust the root, and the certificates deployed on it. */
  public record GuestOutline(String id, String name, String kind, List<String> trust, List<String> certificates) {

    public GuestOutline {
      trust = trust == null ? List.of() : List.copyOf(trust);
      certificates = certificates == null ? List.of() : List.copyOf(certificates);
    }

    public String label() {
      return name == null ? id : id + " (" + name + ")";
    }
  }
}
