package ai.thinkheads.phoenix.certs.workflows.coordination;

import java.util.List;

/** What a guest's coordinator is doing, for people: who holds the pairs, who waits, which reloads gather. */
public record GuestPairsState(String guestId, List<String> holders, List<String> waiting, List<String> reloads,
    int reloadsRun) {}
