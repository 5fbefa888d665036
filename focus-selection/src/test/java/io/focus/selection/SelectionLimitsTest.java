package io.focus.selection;

import static io.focus.selection.Sel.b;
import static io.focus.selection.Sel.conferences;
import static io.focus.selection.Sel.endpoints;
import static io.focus.selection.Sel.settings;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focus.core.bridge.BridgeSnapshot;
import io.focus.core.bridge.BridgeState;
import io.focus.core.selection.ConferenceBridgeProperties;
import io.focus.core.selection.ExclusionSet;
import io.focus.core.selection.ParticipantProperties;
import io.focus.core.selection.SelectionRequest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SelectionLimitsTest {
    @Test
    void maxedIsThePerConferenceParticipantCapOnly() {
        SelectionLimits limits = new SelectionLimits(settings("jicofo.bridge.max-bridge-participants = 5\n"
                + "jicofo.bridge.max-bridge-participants-per-interval = 2"));
        BridgeState hot = b("jvb1", 0.95);
        BridgeState cool = b("jvb2", 0.1);
        Map<String, ConferenceBridgeProperties> conf = new LinkedHashMap<>();
        conf.put(hot.id(), new ConferenceBridgeProperties(5, 0, false));
        conf.put(cool.id(), new ConferenceBridgeProperties(4, 2, false));
        SelectionRequest r = request(conf, hot, cool);
        assertTrue(limits.maxed(hot, r));
        assertFalse(limits.maxed(cool, r), "rate-limited, but below max-bridge-participants");
        assertTrue(limits.overloadedFor(cool, r));
        assertFalse(limits.maxed(b("jvb3", 0.1), r), "not in the conference");
    }

    @Test
    void theConferencesCapKeepsOnlyNewConferencesAwayTheEndpointsCapKeepsEveryoneAway() {
        SelectionLimits limits = new SelectionLimits(settings("focus.selection.max-conferences-per-bridge = 2\n"
                + "focus.selection.max-participants-per-bridge = 10"));
        BridgeState busy = conferences(b("busy", 0.1), 2);
        BridgeState full = endpoints(b("full", 0.1), 10);
        SelectionRequest r = request(Map.of(busy.id(), ConferenceBridgeProperties.of(3),
                full.id(), ConferenceBridgeProperties.of(3)), busy, full);
        assertTrue(limits.capReached(busy, null), "a conference that does not use it");
        assertFalse(limits.overloadedFor(busy, r), "the conference already there");
        assertTrue(limits.capReached(full, null));
        assertTrue(limits.overloadedFor(full, r));
    }

    private static SelectionRequest request(Map<String, ConferenceBridgeProperties> conf, BridgeState... bridges) {
        return new SelectionRequest(new BridgeSnapshot(1, Instant.EPOCH, List.of(bridges)), conf,
                ParticipantProperties.NONE, null, ExclusionSet.none(), "room");
    }
}
