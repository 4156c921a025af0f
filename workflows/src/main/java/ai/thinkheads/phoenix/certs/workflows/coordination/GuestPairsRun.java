package ai.thinkheads.phoenix.certs.workflows.coordination;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A coordinator run's input: the guest it coordinates ("lxc/101", for people; the workflow ID says which) and how
 * many reloads it has run so far. Anything else a start carries is dropped.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record GuestPairsRun(String guestId, int reloadsRun) {}
