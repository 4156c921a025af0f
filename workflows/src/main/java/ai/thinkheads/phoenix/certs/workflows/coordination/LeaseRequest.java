package ai.thinkheads.phoenix.certs.workflows.coordination;

/**
 * A request for the guest's pairs: {@code exclusive} to swap one (no one else reads them meanwhile), shared to
 * read them (a reload batch, whose {@code requester} is null). {@code id} is the requester's own, unique per
 * request; the grant comes back to {@code requester} (a workflow ID) as a signal.
 */
public record LeaseRequest(String id, String requester, boolean exclusive) {}
