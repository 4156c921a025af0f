package ai.thinkheads.phoenix.certs.workflows.rotation;

/**
 * Whether a certificate's live (and served) chain ends at the new root, the live serial (null when there is no
 * readable certificate), and what was seen.
 */
public record ChainCheck(String name, String serial, boolean onNewRoot, String detail) {}
