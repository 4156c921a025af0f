package ai.thinkheads.phoenix.certs.workflows.guest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Why a guest is being onboarded ("post-start on pve", "operator"): shown in the UI, never acted on. Which guest
 * is the workflow ID ({@code guest/<vmid or name>}); how to reach it and which stores must hold the root come
 * from the worker's own inventory.
 * Anything else a start carries (an old-style or forged input) is dropped.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record OnboardingRequest(String reason) {}
