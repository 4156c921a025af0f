package ai.thinkheads.phoenix.certs.workflows.audit;

import java.util.List;

/**
 * One trust store of a guest: whether it holds the pinned root, and which other private roots it holds
 * ("CN=Old CA (sha256 ab12...)"), as read on the guest.
 *
 * @param listed whether the inventory says this guest must trust the root through this store
 */
public record TrustStoreFact(String guest, String store, String path, boolean listed, boolean holdsRoot,
    List<String> otherRoots) {

  public TrustStoreFact {
    otherRoots = otherRoots == null ? List.of() : List.copyOf(otherRoots);
  }
}
