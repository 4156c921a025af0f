package ai.thinkheads.phoenix.certs.workflows.guest;

/**
 * What onboarding needs to know about a guest: its OS family from /etc/os-release ("debian", "alpine", "rhel"),
 * which decides the trust store tooling, and whether curl or wget can prove trust with a real TLS call.
 */
public record GuestFacts(String osFamily, boolean hasCurl, boolean hasWget) {}
