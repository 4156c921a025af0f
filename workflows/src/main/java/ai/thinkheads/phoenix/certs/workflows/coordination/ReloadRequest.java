package ai.thinkheads.phoenix.certs.workflows.coordination;

import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateRef;

/**
 * A certificate's new (or restored) pair is in place and its service must pick it up. Requests with the same
 * {@code key} (same guest, same reload step) that gather within a short window share one reload; {@code id} is
 * the requester's own, and the outcome comes back to {@code requester} as a signal. {@code releases}, when not
 * null, is the requester's lease on the guest's pairs, given back with this request.
 */
public record ReloadRequest(String id, String requester, String key, CertificateRef certificate, String releases) {}
