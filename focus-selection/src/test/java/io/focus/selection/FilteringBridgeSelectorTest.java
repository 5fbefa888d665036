package io.focus.selection;

import static io.focus.selection.Sel.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import io.focus.core.selection.Reason.Relaxation;
import io.focus.core.selection.SelectionRequest;
import io.prometheus.client.CollectorRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The filters and relaxations in front of every strategy, with the default strategy (least-stress). */
class FilteringBridgeSelectorTest {
    private static final String OCTO = "jicofo.octo.enabled = true";

    static Stream<Case> rows() {
        return Stream.of(
            // initial pick
            c("initial pick: lowest corrected stress").bridges(b("jvb1", 0.3), b("jvb2", 0.1), b("jvb3", 0.5))
                .expect("jvb2", "least loaded"),
            c("ties keep snapshot order").bridges(b("jvb1", 0.2), b("jvb2", 0.2)).expect("jvb1", null),
            c("ramp-up correction counts").bridges(with(b("jvb1", 0.1), x -> x.recentlyAddedEndpoints(20)), b("jvb2", 0.2))
                .expect("jvb2", null),
            c("participant's region first").bridges(b("jvb1", 0.1, "us"), b("jvb2", 0.3, "eu")).region("eu")
                .expect("jvb2", "in the participant's region"),
            c("an overloaded in-region bridge loses to an idle one elsewhere")
                .bridges(b("jvb1", 0.0, "us"), b("jvb2", 0.85, "eu")).region("eu")
                .expect("jvb1", "overloaded removed 1"),
            // staying
            c("stay on the conference's bridge").bridges(b("jvb1", 0.5), b("jvb2", 0.1)).on("jvb1", 3)
                .expect("jvb1", "stay: the conference cannot spread (Octo is off)"),
            c("stay on the conference's bridge with Octo").config(OCTO).bridges(b("jvb1", 0.5), b("jvb2", 0.1)).on("jvb1", 3)
                .expect("jvb1", "least-stress: stay on the conference's bridge"),
            c("a removed bridge in the conference map is ignored").bridges(b("jvb1", 0.4), b("jvb2", 0.2)).on("gone", 5)
                .expect("jvb2", "least loaded"),
            c("moved off its bridge: the conference starts afresh").bridges(b("jvb1", 0.0), b("jvb2", 0.3))
                .on("jvb1", 5).exclude("jvb1").expect("jvb2", "excluded removed 1"),
            // health, drain, graceful, shutting down, exclusion
            c("non-operational not picked while an operational bridge is left")
                .bridges(failed(b("jvb1", 0.0)), b("jvb2", 0.7)).expect("jvb2", "not-operational removed 1"),
            c("drain is avoided").bridges(draining(b("jvb1", 0.0)), b("jvb2", 0.5)).expect("jvb2", "draining removed 1"),
            c("graceful shutdown is avoided").bridges(graceful(b("jvb1", 0.0)), b("jvb2", 0.5))
                .expect("jvb2", "graceful removed 1"),
            c("draining used when it is all there is").bridges(draining(b("jvb1", 0.3)), draining(b("jvb2", 0.1)))
                .expect("jvb2", "relaxed draining"),
            c("shutting down never, even alone").bridges(shuttingDown(b("jvb1", 0.0)))
                .expect(null, "shutting-down removed 1"),
            c("excluded never, even alone").bridges(b("jvb1", 0.0)).exclude("jvb1").expect(null, "excluded removed 1"),
            c("excluded never, even in panic").bridges(b("jvb1", 0.0), draining(b("jvb2", 0.95))).exclude("jvb1")
                .expect("jvb2", "excluded removed 1, relaxed overloaded, relaxed draining"),
            c("non-operational never, even alone").bridges(failed(b("jvb1", 0.0)))
                .expect(null, "no bridge left (candidates=0, not-operational removed 1)"),
            c("non-operational never, even in panic").bridges(failed(b("jvb1", 0.0)), suspect(draining(b("jvb2", 0.95))))
                .expect("jvb2", "not-operational removed 1, relaxed overloaded, relaxed draining, relaxed suspect"),
            c("no bridges at all").expect(null, "no bridge left"),
            // suspect: relaxed last of all
            c("a suspect bridge gets no new participant while another is left").bridges(suspect(b("jvb1", 0.0)), b("jvb2", 0.7))
                .expect("jvb2", "suspect removed 1"),
            c("a suspect bridge when it is all there is").bridges(suspect(b("jvb1", 0.0))).expect("jvb1", "relaxed suspect"),
            c("the least loaded of the suspect ones").bridges(suspect(b("jvb1", 0.3)), suspect(b("jvb2", 0.1)))
                .expect("jvb2", "relaxed suspect"),
            c("overloaded or draining before suspect, failed never").bridges(suspect(b("jvb1", 0.0)),
                    failed(b("jvb2", 0.2)), draining(b("jvb3", 0.9)))
                .expect("jvb3", "not-operational removed 1, suspect removed 1, relaxed overloaded, relaxed draining"),
            c("a conference moves new participants off its suspect bridge when it can spread").config(OCTO)
                .bridges(suspect(b("jvb1", 0.0)), b("jvb2", 0.5)).on("jvb1", 3).expect("jvb2", "suspect removed 1"),
            // failing ICE (Jicofo's ICE-failure detection): relaxed last but for suspect
            c("a bridge failing ICE gets no new participant while another is left")
                .bridges(failingIce(b("jvb1", 0.0)), b("jvb2", 0.7)).expect("jvb2", "failing-ice removed 1"),
            c("a bridge failing ICE when it is all there is").bridges(failingIce(b("jvb1", 0.0)))
                .expect("jvb1", "relaxed failing-ice"),
            c("failed, overloaded or draining before failing ICE").bridges(failingIce(b("jvb1", 0.0)),
                    draining(b("jvb2", 0.9))).expect("jvb2", "relaxed overloaded, relaxed draining"),
            c("failing ICE before suspect").bridges(suspect(b("jvb1", 0.0)), failingIce(b("jvb2", 0.5)))
                .expect("jvb2", "suspect removed 1, relaxed failing-ice"),
            // panic order: overloaded -> caps -> graceful -> draining; failed never
            c("all failed: none, the participant waits").bridges(failed(b("jvb1", 0.2)), failed(b("jvb2", 0.1)))
                .expect(null, "no bridge left (candidates=0, not-operational removed 2)"),
            c("an overloaded operational bridge beats an idle failed one").bridges(failed(b("jvb1", 0.1)), b("jvb2", 0.9))
                .expect("jvb2", "not-operational removed 1, relaxed overloaded"),
            c("panic: overloaded relaxed before caps").config("focus.selection.max-participants-per-bridge = 10")
                .bridges(b("jvb1", 0.9), endpoints(b("jvb2", 0.1), 10)).expect("jvb1", "caps removed 1, relaxed overloaded"),
            c("panic: caps relaxed before drain").config("focus.selection.max-participants-per-bridge = 10")
                .bridges(endpoints(b("jvb1", 0.1), 10), draining(b("jvb2", 0.0))).expect("jvb1", "draining removed 1, relaxed caps"),
            c("panic: graceful relaxed before draining").bridges(draining(b("jvb1", 0.0)), graceful(b("jvb2", 0.5)))
                .expect("jvb2", "relaxed draining"),
            c("an overloaded bridge beats a draining one").bridges(draining(b("jvb1", 0.0)), b("jvb2", 0.9))
                .expect("jvb2", "relaxed overloaded"),
            c("all overloaded: the least loaded").bridges(b("jvb1", 0.9), b("jvb2", 0.85)).expect("jvb2", "relaxed overloaded"),
            // versions and pins
            c("the conference's version").config(OCTO)
                .bridges(b("jvb1", 0.9), version(b("jvb2", 0.0), "9.9-9"), b("jvb3", 0.4)).on("jvb1", 3)
                .expect("jvb3", "version removed 1"),
            c("a pin picks only that version").bridges(b("jvb1", 0.0), version(b("jvb2", 0.5), "3.0-1")).pin("3.0-1")
                .expect("jvb2", "version removed 1"),
            c("an unknown pin finds nothing").bridges(b("jvb1", 0.0), b("jvb2", 0.5)).pin("7.7-7")
                .expect(null, "version removed 2"),
            c("mixed versions allowed: the pin does not filter").config("jicofo.octo.allow-mixed-versions = true")
                .bridges(b("jvb1", 0.0), version(b("jvb2", 0.5), "3.0-1")).pin("3.0-1").expect("jvb1", null),
            c("the conference's version wins over a pin").config(OCTO)
                .bridges(b("jvb1", 0.0), version(b("jvb2", 0.0), "3.0-1"), b("jvb3", 0.1)).on("jvb1", 2).pin("3.0-1")
                .expect("jvb1", "stay"),
            // per-conference cap, spreading, over cap
            c("max-bridge-participants reached with Octo: spread").config(OCTO)
                .bridges(b("jvb1", 0.1), b("jvb2", 0.3)).on("jvb1", 80).expect("jvb2", "caps removed 1"),
            c("max-bridge-participants reached without Octo: stay, over cap")
                .bridges(b("jvb1", 0.1), b("jvb2", 0.3)).on("jvb1", 80).expect("jvb1", "Octo is off"),
            c("the conference's bridge has no relay id: stay, over cap").config(OCTO)
                .bridges(noRelay(b("jvb1", 0.1)), b("jvb2", 0.3)).on("jvb1", 80).expect("jvb1", "no relay id"),
            c("a bridge without relay id is not used to spread").config(OCTO)
                .bridges(b("jvb1", 0.1), noRelay(b("jvb2", 0.0)), b("jvb3", 0.5)).on("jvb1", 80).expect("jvb3", null),
            c("unsplittable on an overloaded bridge: stay, over cap").bridges(b("jvb1", 0.95), b("jvb2", 0.0)).on("jvb1", 4)
                .expect("jvb1", "over cap"),
            c("unsplittable on a failed bridge: none, it waits").bridges(failed(b("jvb1", 0.1)), b("jvb2", 0.0)).on("jvb1", 4)
                .expect(null, "no bridge left: the conference cannot spread (Octo is off) and its bridge is not operational"
                        + " (candidates=0, not-operational removed 1)"),
            c("unsplittable (no relay id) on a failed bridge: none, it waits").config(OCTO)
                .bridges(failed(noRelay(b("jvb1", 0.1))), b("jvb2", 0.0)).on("jvb1", 4)
                .expect(null, "(a bridge of it has no relay id) and its bridge is not operational"),
            c("unsplittable on a failed and an operational bridge: stays on the operational one").config(OCTO)
                .bridges(failed(b("jvb1", 0.1)), noRelay(b("jvb2", 0.3)), b("jvb3", 0.0)).on("jvb1", 4).on("jvb2", 2)
                .expect("jvb2", "stay: the conference cannot spread (a bridge of it has no relay id) (candidates=1)"),
            c("unsplittable on a draining bridge: stay").bridges(draining(b("jvb1", 0.1)), b("jvb2", 0.0)).on("jvb1", 4)
                .expect("jvb1", "stay"),
            c("unsplittable on a shutting-down bridge: starts afresh").bridges(shuttingDown(b("jvb1", 0.1)), b("jvb2", 0.4))
                .on("jvb1", 4).expect("jvb2", "shutting-down removed 1"),
            // absolute caps
            c("max-participants-per-bridge keeps a new conference away").config("focus.selection.max-participants-per-bridge = 100")
                .bridges(endpoints(b("jvb1", 0.1), 100), b("jvb2", 0.5)).expect("jvb2", "caps removed 1"),
            c("max-conferences-per-bridge keeps a new conference away").config("focus.selection.max-conferences-per-bridge = 2")
                .bridges(conferences(b("jvb1", 0.1), 2), b("jvb2", 0.5)).expect("jvb2", "caps removed 1"),
            c("max-conferences-per-bridge does not apply to a conference already there")
                .config("focus.selection.max-conferences-per-bridge = 2\n" + OCTO)
                .bridges(conferences(b("jvb1", 0.1), 2), b("jvb2", 0.0)).on("jvb1", 3).expect("jvb1", "stay"),
            c("max-participants-per-bridge spreads a conference with Octo")
                .config("focus.selection.max-participants-per-bridge = 100\n" + OCTO)
                .bridges(endpoints(b("jvb1", 0.1), 100), b("jvb2", 0.5)).on("jvb1", 3).expect("jvb2", "caps removed 1"),
            c("max-participants-per-bridge without Octo: stay, over cap")
                .config("focus.selection.max-participants-per-bridge = 100")
                .bridges(endpoints(b("jvb1", 0.1), 100), b("jvb2", 0.5)).on("jvb1", 3).expect("jvb1", "over cap"),
            c("every bridge at its absolute cap: least loaded, relaxed caps")
                .config("focus.selection.max-participants-per-bridge = 100")
                .bridges(endpoints(b("jvb1", 0.4), 100), endpoints(b("jvb2", 0.3), 120)).expect("jvb2", "relaxed caps")
        );
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void selects(Case row) {
        check("", row);
    }

    @Test
    void overCapIsFlaggedOnlyWhenPastALimit() {
        Decision over = check("", c("over").bridges(b("jvb1", 0.1), b("jvb2", 0.3)).on("jvb1", 80).expect("jvb1", null));
        assertTrue(over.reason().overCap());
        Decision within = check("", c("within").bridges(b("jvb1", 0.1), b("jvb2", 0.3)).on("jvb1", 79).expect("jvb1", null));
        assertFalse(within.reason().overCap());
        assertFalse(within.reason().anyRelaxed());
    }

    @Test
    void reasonCountsEveryFilterOnce() {
        Decision d = check("focus.selection.max-participants-per-bridge = 10", c("mixed")
                .bridges(b("ok1", 0.5), b("ok2", 0.2), failed(b("failed", 0.0)), failed(draining(b("failedDraining", 0.0))),
                        b("hot", 0.9), endpoints(b("full", 0.0), 10), draining(b("draining", 0.0)),
                        graceful(b("graceful", 0.0)), shuttingDown(b("down", 0.0)), b("excluded", 0.0),
                        version(b("v2", 0.0), "3.0-1"))
                .exclude("excluded").pin(V1).expect("ok2", null));
        Reason r = d.reason();
        assertEquals(Map.of(Filter.EXCLUDED, 1, Filter.SHUTTING_DOWN, 1, Filter.VERSION, 1, Filter.NOT_OPERATIONAL, 2,
                Filter.OVERLOADED, 1, Filter.CAPS, 1, Filter.DRAINING, 1, Filter.GRACEFUL, 1), r.removedCounts());
        assertEquals(2, r.candidates());
        assertTrue(r.rule().startsWith("least-stress:"), r.rule());
        assertFalse(r.anyRelaxed());
    }

    @Test
    void relaxationRelaxesAsLittleAsItCanAndRecordsWhatThePickNeeded() {
        // jvb1 would need overloaded and caps relaxed, jvb2 only overloaded: jvb2, although jvb1 is less loaded
        String cap = "focus.selection.max-participants-per-bridge = 10";
        Decision d = check(cap, c("overloaded beats overloaded-and-capped")
                .bridges(endpoints(b("jvb1", 0.9), 10), b("jvb2", 0.95)).expect("jvb2", "caps removed 1"));
        assertTrue(d.reason().relaxed(Relaxation.OVERLOADED));
        assertFalse(d.reason().relaxed(Relaxation.CAPS));
        Decision both = check(cap, c("both needed").bridges(endpoints(b("jvb1", 0.9), 10), endpoints(b("jvb2", 0.95), 10))
                .expect("jvb1", null));
        assertTrue(both.reason().relaxed(Relaxation.OVERLOADED));
        assertTrue(both.reason().relaxed(Relaxation.CAPS));
        assertFalse(both.reason().relaxed(Relaxation.DRAINING));
        assertFalse(both.reason().relaxed(Relaxation.SUSPECT));
        Decision ice = check("", c("failing ICE alone").bridges(failingIce(b("jvb1", 0.0))).expect("jvb1", null));
        assertTrue(ice.reason().relaxed(Relaxation.FAILING_ICE));
        assertFalse(ice.reason().relaxed(Relaxation.SUSPECT));
        Decision suspect = check("", c("suspect alone").bridges(suspect(b("jvb1", 0.0))).expect("jvb1", null));
        assertTrue(suspect.reason().relaxed(Relaxation.SUSPECT));
        assertFalse(suspect.reason().relaxed(Relaxation.OVERLOADED));
    }

    @Test
    void countsSelectionsRelaxationsAndRateLimits() {
        CollectorRegistry reg = new CollectorRegistry();
        FilteringBridgeSelector s = selector("jicofo.octo.enabled = true\n"
                + "jicofo.bridge.max-bridge-participants-per-interval = 10", reg);
        s.select(c("ok").bridges(b("jvb1", 0.1)).request());
        s.select(c("panic").bridges(b("jvb1", 0.9)).request());
        s.select(c("none").bridges(shuttingDown(b("jvb1", 0.1))).request());
        s.select(c("rate").bridges(b("jvb1", 0.1), b("jvb2", 0.2)).on("jvb1", 12, 10).request());
        s.select(c("over").config("").bridges(noRelay(b("jvb1", 0.1)), b("jvb2", 0.2)).on("jvb1", 80).request());
        assertEquals(2.0, sample(reg, "focus_selections_total", "least-stress", "selected"));
        assertEquals(1.0, sample(reg, "focus_selections_total", "least-stress", "relaxed"));
        assertEquals(1.0, sample(reg, "focus_selections_total", "least-stress", "none"));
        assertEquals(1.0, sample(reg, "focus_selections_total", "least-stress", "over_cap"));
        assertEquals(1.0, reg.getSampleValue("focus_selection_relaxations_total", new String[] {"relaxation"},
                new String[] {"overloaded"}));
        assertEquals(1.0, reg.getSampleValue("jitsi_jicofo_bridge_selection_rate_limited_total"));
    }

    @Test
    void bridgesLeftOutForLackingARelayIdAreCounted() {
        Decision d = check(OCTO, c("spread").bridges(b("jvb1", 0.1), noRelay(b("jvb2", 0.0)), noRelay(b("jvb3", 0.0)),
                b("jvb4", 0.5)).on("jvb1", 80).expect("jvb4", "no-relay removed 2"));
        assertEquals(2, d.reason().removed(Filter.NO_RELAY));
        assertEquals(Map.of(Filter.NO_RELAY, 2, Filter.CAPS, 1), d.reason().removedCounts(), "jvb1 at its cap");
        Decision fresh = check(OCTO, c("new").bridges(b("jvb1", 0.3), noRelay(b("jvb2", 0.0))).expect("jvb2", null));
        assertEquals(0, fresh.reason().removed(Filter.NO_RELAY), "a new conference needs no relay");
    }

    @Test
    void decidesOnTheSnapshotTheRequestCarries() {
        FilteringBridgeSelector s = selector("");
        BridgeSnapshot first = new BridgeSnapshot(7, Instant.EPOCH, List.of(b("jvb1", 0.1), b("jvb2", 0.3)));
        // the next snapshot, with the same sequence number (as snapshots of different registries may have)
        BridgeSnapshot second = new BridgeSnapshot(7, Instant.EPOCH, List.of(b("jvb1", 0.9), b("jvb2", 0.3)));
        assertEquals("jvb1", s.select(request(first)).bridge().nick());
        assertEquals("jvb2", s.select(request(second)).bridge().nick(), "jvb1 got busy");
        assertEquals("jvb1", s.select(request(first)).bridge().nick(), "a request holding the old snapshot");
    }

    @Test
    void aPlugInStrategySeesTheCandidatesAsAListInSnapshotOrder() {
        List<List<String>> seen = new ArrayList<>();
        FilteringBridgeSelector s = new FilteringBridgeSelector(settings(OCTO), recorder(seen, true),
                new SelectionMetrics(new CollectorRegistry()), clock());
        BridgeSnapshot snap = new BridgeSnapshot(1, Instant.EPOCH, List.of(b("jvb1", 0.1), b("jvb2", 0.1),
                b("jvb3", 0.1), noRelay(b("jvb4", 0.1)), b("jvb5", 0.1), b("jvb6", 0.1)));
        Map<String, ConferenceBridgeProperties> conf = new LinkedHashMap<>();
        conf.put(id("jvb5"), ConferenceBridgeProperties.of(3));
        conf.put(id("jvb2"), ConferenceBridgeProperties.of(80)); // at max-bridge-participants: not on the first rung
        Decision d = s.select(new SelectionRequest(snap, conf, ParticipantProperties.NONE, null,
                ExclusionSet.of(Set.of(id("jvb3"))), "room"));
        assertEquals(List.of(List.of("jvb1", "jvb5", "jvb6")), seen, "jvb2 capped, jvb3 excluded, jvb4 no relay");
        assertEquals("jvb6", d.bridge().nick());
        assertEquals("recorder: last", d.reason().rule());
        assertEquals(3, d.reason().candidates());
        assertEquals(Map.of(Filter.CAPS, 1, Filter.EXCLUDED, 1, Filter.NO_RELAY, 1), d.reason().removedCounts());
    }

    /**
     * A strategy that finds nothing is shown the next rung of the relaxation order each time, until all are in;
     * each rung in snapshot order; the decision is then "none", with the strategy's rule and every bridge a
     * candidate but those the never-relaxed filters removed (a failed bridge is on no rung, whatever else it has).
     */
    @Test
    void aStrategyThatFindsNothingIsShownEachRungInRelaxationOrder() {
        List<List<String>> seen = new ArrayList<>();
        FilteringBridgeSelector s = new FilteringBridgeSelector(settings("focus.selection.max-participants-per-bridge = 10"),
                recorder(seen, false), new SelectionMetrics(new CollectorRegistry()), clock());
        Decision d = s.select(c("all flaws").bridges(suspect(b("suspect", 0.0)), draining(b("draining", 0.0)),
                graceful(b("graceful", 0.0)), endpoints(b("capped", 0.0), 10), endpoints(b("cappedHot", 0.9), 10),
                failed(b("failedHot", 0.9)), b("hot", 0.9), failed(b("failed", 0.0)), b("ok", 0.5),
                shuttingDown(b("down", 0.0))).request());
        assertEquals(List.of(
                List.of("ok"),
                List.of("hot", "ok"),
                List.of("capped", "hot", "ok"),
                List.of("capped", "cappedHot", "hot", "ok"),
                List.of("graceful", "capped", "cappedHot", "hot", "ok"),
                List.of("draining", "graceful", "capped", "cappedHot", "hot", "ok"),
                List.of("suspect", "draining", "graceful", "capped", "cappedHot", "hot", "ok")), seen);
        assertFalse(d.found());
        assertEquals("recorder: declines", d.reason().rule());
        assertEquals(7, d.reason().candidates());
        assertEquals(Map.of(Filter.SHUTTING_DOWN, 1, Filter.NOT_OPERATIONAL, 2), d.reason().removedCounts());
    }

    /** Records the candidates it is shown; picks the last one, or declines. */
    private static BridgeSelectionStrategy recorder(List<List<String>> seen, boolean picks) {
        return new BridgeSelectionStrategy() {
            @Override public String name() { return "recorder"; }
            @Override public Decision select(List<BridgeState> candidates, SelectionRequest request, ConferenceLimits l) {
                seen.add(candidates.stream().map(BridgeState::nick).toList());
                return picks ? Decision.of(candidates.get(candidates.size() - 1), Reason.of("recorder: last"))
                        : Decision.none(Reason.of("recorder: declines"));
            }
        };
    }

    private static SelectionRequest request(BridgeSnapshot snap) {
        return new SelectionRequest(snap, Map.of(), ParticipantProperties.NONE, null, ExclusionSet.none(), "room");
    }

    private static double sample(CollectorRegistry reg, String name, String strategy, String outcome) {
        Double v = reg.getSampleValue(name, new String[] {"strategy", "outcome"}, new String[] {strategy, outcome});
        return v == null ? 0 : v;
    }
}
