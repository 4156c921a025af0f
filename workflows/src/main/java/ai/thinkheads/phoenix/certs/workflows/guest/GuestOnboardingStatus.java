package ai.thinkheads.phoenix.certs.workflows.guest;

import java.util.List;

/** Where onboarding stands: the step in progress, what each trust store got, and the verification result. */
public record GuestOnboardingStatus(String guestId, String phase, List<String> installed, List<String> unchanged,
    String verified, String error) {

  public static GuestOnboardingStatus starting(String guestId) {
    return new GuestOnboardingStatus(guestId, "starting", List.of(), List.of(), null, null);
  }
}
