package io.focus.selection;

import static io.focus.selection.Sel.b;
import static io.focus.selection.Sel.c;
import static io.focus.selection.Sel.conferences;
import static io.focus.selection.Sel.draining;
import static io.focus.selection.Sel.failed;
import static io.focus.selection.Sel.id;
import static io.focus.selection.Sel.noRelay;
import static io.focus.selection.Sel.selector;
import static io.focus.selection.Sel.settings;
import static io.focus.selection.Sel.shuttingDown;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focus.core.bridge.BridgeSnapshot;
import io.focus.core.bridge.BridgeState;
import io.focus.core.selection.BridgeSelectionStrategy;
import io.focus.core.selection.ConferenceBridgeProperties;
import io.focus.core.selection.ConferenceLimits;
import io.focus.core.selection.Decision;
import io.focus.core.selection.ExclusionSet;
import io.focus.core.selection.ParticipantProperties;
import io.focus.core.selection.Reason;
import io.focus.core.selection.Reason.Filter;
import io.focus.core.selection.SelectionRequest;
import io.prometheus.client.CollectorRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SnapshotIndexTest {
    private static final SelectionLimits LIMITS = new SelectionLimits(settings("focus.selection.max-conferences-per-bridge = 3"));

    @Test
    void workedOutOncePerSnapshotAndAgainForEveryNewOne() {
        FilteringBridgeSelector s = selector("");
        BridgeSnapshot first = new BridgeSnapshot(7, Instant.EPOCH, List.of(b("jvb1", 0.1), b("jvb2", 0.3)));
        assertEquals("jvb1", s.select(request(first, Map.of())).bridge().nick());
        SnapshotIndex ix = s.indexFor(first);
        assertSame(first, ix.snapshot());
        assertEquals("jvb1", s.select(request(first, Map.of())).bridge().nick());
        assertSame(ix, s.indexFor(first), "same snapshot, same index");

        // the next snapshot (same sequence number, as snapshots of different registries may have): jvb1 got busy
        BridgeSnapshot second = new BridgeSnapshot(7, Instant.EPOCH, List.of(b("jvb1", 0.9), b("jvb2", 0.3)));
        assertEquals("jvb2", s.select(request(second, Map.of())).bridge().nick(), "decided on the new snapshot");
        assertNotSame(ix, s.indexFor(second));
        assertSame(second, s.indexFor(second).snapshot());
        // a request still holding the old snapshot is decided on the old one
        assertEquals("jvb1", s.select(request(first, Map.of())).bridge().nick());
    }

    @Test
    void flawsAreThoseOfABridgeTheConferenceDoesNotUse() {
        BridgeSnapshot snap = new BridgeSnapshot(1, Instant.EPOCH, List.of(b("ok", 0.1), failed(b("failed", 0.1)),
                b("hot", 0.85), conferences(b("full", 0.1), 3), draining(b("drain", 0.1)),
                Sel.graceful(b("graceful", 0.1))));
        SnapshotIndex ix = SnapshotIndex.of(snap, LIMITS);
        assertArrayEquals(new int[] {0, SnapshotIndex.FAILED, SnapshotIndex.OVERLOADED, SnapshotIndex.CAPS,
                SnapshotIndex.DRAINING, SnapshotIndex.GRACEFUL}, ix.flaws());
        assertEquals(3, ix.position(id("full")));
        assertEquals(-1, ix.position(id("nope")));
        assertEquals(0.85, ix.stress()[2]);
    }

    @Test
    void poolsCountTheNeverRelaxedFiltersAndListEachLevelInSnapshotOrder() {
        BridgeState v2 = Sel.version(b("v2", 0.1), "3.0-1");
        BridgeSnapshot snap = new BridgeSnapshot(1, Instant.EPOCH, List.of(draining(b("a", 0.1)), b("b", 0.9),
                shuttingDown(b("c", 0.1)), v2, noRelay(b("d", 0.1)), b("e", 0.2)));
        SnapshotIndex ix = SnapshotIndex.of(snap, LIMITS);
        SnapshotIndex.Pool any = ix.pool(null, false);
        assertEquals(1, any.shut);
        assertEquals(0, any.wrongVersion);
        assertArrayEquals(new int[] {3, 4, 5}, any.level(0), "v2, d, e");
        assertArrayEquals(new int[] {1, 3, 4, 5}, any.level(SnapshotIndex.OVERLOADED));
        assertArrayEquals(new int[] {0, 1, 3, 4, 5}, any.level(31));
        assertSame(any.level(0), any.level(0), "built once");
        assertSame(any, ix.pool(null, false), "built once");

        SnapshotIndex.Pool v1Relay = ix.pool(Sel.V1, true);
        assertEquals(1, v1Relay.wrongVersion);
        assertEquals(1, v1Relay.noRelay);
        assertArrayEquals(new int[] {5}, v1Relay.level(0));
        SnapshotIndex.Pool unknown = ix.pool("9.9-9", false);
        assertEquals(5, unknown.wrongVersion);
        assertEquals(0, unknown.level(31).length);
    }

    @Test
    void bridgesLeftOutForLackingARelayIdAreCounted() {
        Decision d = Sel.check("jicofo.octo.enabled = true", c("spread").bridges(b("jvb1", 0.1), noRelay(b("jvb2", 0.0)),
                noRelay(b("jvb3", 0.0)), b("jvb4", 0.5)).on("jvb1", 80).expect("jvb4", "no-relay removed 2"));
        assertEquals(2, d.reason().removed(Filter.NO_RELAY));
        Decision fresh = Sel.check("jicofo.octo.enabled = true", c("new").bridges(b("jvb1", 0.3), noRelay(b("jvb2", 0.0)))
                .expect("jvb2", null));
        assertEquals(0, fresh.reason().removed(Filter.NO_RELAY), "a new conference needs no relay");
    }

    @Test
    void maxedIsThePerConferenceParticipantCapOnly() {
        SelectionLimits limits = new SelectionLimits(settings("jicofo.bridge.max-bridge-participants = 5\n"
                + "jicofo.bridge.max-bridge-participants-per-interval = 2"));
        BridgeState hot = b("jvb1", 0.95);
        BridgeState cool = b("jvb2", 0.1);
        Map<String, ConferenceBridgeProperties> conf = new LinkedHashMap<>();
        conf.put(hot.id(), new ConferenceBridgeProperties(5, 0, false));
        conf.put(cool.id(), new ConferenceBridgeProperties(4, 2, false));
        SelectionRequest r = request(new BridgeSnapshot(1, Instant.EPOCH, List.of(hot, cool)), conf);
        assertTrue(limits.maxed(hot, r));
        assertFalse(limits.maxed(cool, r), "rate-limited, but below max-bridge-participants");
        assertTrue(limits.overloadedFor(cool, r));
        assertFalse(limits.maxed(b("jvb3", 0.1), r), "not in the conference");
    }

    @Test
    void aPlugInStrategySeesTheCandidatesAsAListInSnapshotOrder() {
        List<List<String>> seen = new ArrayList<>();
        BridgeSelectionStrategy recorder = new BridgeSelectionStrategy() {
            @Override public String name() { return "recorder"; }
            @Override public Decision select(List<BridgeState> candidates, SelectionRequest request, ConferenceLimits l) {
                List<String> nicks = new ArrayList<>();
                for (BridgeState b : candidates) {
                    nicks.add(b.nick());
                }
                seen.add(nicks);
                return candidates.isEmpty() ? Decision.none(Reason.of("recorder: none"))
                        : Decision.of(candidates.get(candidates.size() - 1), Reason.of("recorder: last"));
            }
        };
        FilteringBridgeSelector s = new FilteringBridgeSelector(settings("jicofo.octo.enabled = true"), recorder,
                new CollectorRegistry(), Sel.clock());
        BridgeSnapshot snap = new BridgeSnapshot(1, Instant.EPOCH, List.of(b("jvb1", 0.1), b("jvb2", 0.1),
                b("jvb3", 0.1), noRelay(b("jvb4", 0.1)), b("jvb5", 0.1), b("jvb6", 0.1)));
        Map<String, ConferenceBridgeProperties> conf = new LinkedHashMap<>();
        conf.put(id("jvb5"), ConferenceBridgeProperties.of(3));
        conf.put(id("jvb2"), ConferenceBridgeProperties.of(80)); // at max-bridge-participants: not at level 0
        SelectionRequest r = new SelectionRequest(snap, conf, ParticipantProperties.NONE, null,
                ExclusionSet.of(Set.of(id("jvb3"))), "room");
        Decision d = s.select(r);
        assertEquals(List.of(List.of("jvb1", "jvb5", "jvb6")), seen, "jvb2 capped, jvb3 excluded, jvb4 no relay");
        assertEquals("jvb6", d.bridge().nick());
        assertEquals(3, d.reason().candidates());
        assertEquals(1, d.reason().removed(Filter.CAPS));
        assertEquals(1, d.reason().removed(Filter.EXCLUDED));
        assertEquals(1, d.reason().removed(Filter.NO_RELAY));
    }

    private static SelectionRequest request(BridgeSnapshot snap, Map<String, ConferenceBridgeProperties> conf) {
        return new SelectionRequest(snap, conf, ParticipantProperties.NONE, null, ExclusionSet.none(), "room");
    }
}
