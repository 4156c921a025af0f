package ai.thinkheads.phoenix.certs.workflows.model;

import io.temporal.common.SearchAttributeKey;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * The search attributes operators filter runs by in the Temporal UI ("CertName = 'portainer-server'",
 * "NotAfter < ..."). Registered by the worker where the server supports it; a workflow started without them
 * (a server that could not register them) simply never upserts them.
 */
public final class SearchAttributes {

  public static final SearchAttributeKey<String> CERT_NAME = SearchAttributeKey.forKeyword("CertName");
  public static final SearchAttributeKey<String> GUEST_ID = SearchAttributeKey.forKeyword("GuestId");
  public static final SearchAttributeKey<OffsetDateTime> NOT_AFTER = SearchAttributeKey.forOffsetDateTime("NotAfter");

  /** When the next attempt starts ("NextRenewal < ..." lists what falls due). */
  public static final SearchAttributeKey<OffsetDateTime> NEXT_RENEWAL =
      SearchAttributeKey.forOffsetDateTime("NextRenewal");
  /** The last attempt's outcome, lower case ("LastOutcome = 'failed'" lists what needs attention). */
  public static final SearchAttributeKey<String> LAST_OUTCOME = SearchAttributeKey.forKeyword("LastOutcome");

  public static final List<SearchAttributeKey<?>> ALL = List.of(CERT_NAME, GUEST_ID, NOT_AFTER, NEXT_RENEWAL,
      LAST_OUTCOME);

  private SearchAttributes() {}
}
