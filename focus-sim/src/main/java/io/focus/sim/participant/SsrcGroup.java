package io.focus.sim.participant;

import java.util.List;

/** An {@code <ssrc-group semantics>} (FID, SIM, ...) of one media type. */
public record SsrcGroup(String media, String semantics, List<Long> ssrcs) {
    public SsrcGroup {
        ssrcs = List.copyOf(ssrcs);
    }
}
