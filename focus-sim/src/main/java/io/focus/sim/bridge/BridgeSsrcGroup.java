package io.focus.sim.bridge;

import java.util.List;

/** An {@code <ssrc-group semantics>} a bridge received in a {@code media-source} (e.g. FID: video SSRC + RTX). */
public record BridgeSsrcGroup(String semantics, List<Long> ssrcs) {
    public BridgeSsrcGroup {
        ssrcs = List.copyOf(ssrcs);
    }
}
