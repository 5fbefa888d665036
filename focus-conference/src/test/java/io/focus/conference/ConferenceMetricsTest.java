package io.focus.conference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focus.core.colibri.MediaSource;
import io.focus.core.colibri.Source;
import io.focus.core.colibri.Sources;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The conference metrics Jicofo has, each moved by its event, and what the views show of a participant's media. */
class ConferenceMetricsTest {
    double gauge(Harness h, String name) {
        Double v = h.registry.getSampleValue(name);
        return v == null ? Double.NaN : v;
    }

    Double restarts(Harness h, String nick) {
        return h.registry.getSampleValue("jitsi_jicofo_bridge_restart_requests_total", new String[] {"jvb"},
                new String[] {nick});
    }

    @Test
    void participantSecondsAreAddedWhenTheyLeaveAndConferenceSecondsWhenItEnds() {
        Harness h = new Harness();
        h.bridges.add("jvb1", 0.1, null);
        FakeRooms.Room r = h.conference("c1", "a", null, "b", null);
        assertEquals(0.0, gauge(h, "jitsi_jicofo_endpoint_seconds"));
        h.loop.advance(Duration.ofSeconds(30));
        r.leave("b");
        h.loop.runPending();
        assertEquals(30.0, gauge(h, "jitsi_jicofo_endpoint_seconds"), "b was there 30 s");
        assertEquals(0.0, gauge(h, "jitsi_jicofo_conferences_seconds"), "the conference goes on");

        h.loop.advance(Duration.ofSeconds(10));
        r.leave("a");
        h.loop.runPending();
        assertEquals(70.0, gauge(h, "jitsi_jicofo_endpoint_seconds"), "30 s of b and 40 s of a");
        assertEquals(40.0, gauge(h, "jitsi_jicofo_conferences_seconds"), "the conference lasted 40 s");
    }

    @Test
    void aConferenceEndedWithParticipantsInItCountsTheirTimeToo() {
        Harness h = new Harness();
        h.bridges.add("jvb1", 0.1, null);
        h.conference("c1", "a", null, "b", null);
        h.loop.advance(Duration.ofSeconds(5));
        h.manager.endConference(Harness.room("c1"));
        h.loop.runPending();
        assertEquals(10.0, gauge(h, "jitsi_jicofo_endpoint_seconds"));
        assertEquals(5.0, gauge(h, "jitsi_jicofo_conferences_seconds"));
    }

    @Test
    void restartRequestsAreCountedPerBridgeAndTheSeriesGoesWithTheBridge() {
        Harness h = Harness.octo();
        h.bridges.add("jvb1", 0.1, null);
        h.bridges.add("jvb2", 0.2, null);
        h.conference("c1", "a", null, "b", null);
        assertNull(restarts(h, "jvb1"));
        assertTrue(h.manager.restartParticipant(Harness.room("c1"), "a", "ICE failed"));
        h.loop.runPending();
        assertEquals(1.0, restarts(h, "jvb1"), "counted on the bridge it was on");
        assertNull(restarts(h, "jvb2"));
        assertFalse(h.manager.restartParticipant(Harness.room("c1"), "nobody", "ICE failed"));
        assertEquals(1.0, restarts(h, "jvb1"));

        h.bridges.remove("jvb1");
        h.loop.runPending();
        assertNull(restarts(h, "jvb1"), "no series of a bridge that left");
    }

    double allocationFailures(Harness h, String kind) {
        Double v = h.registry.getSampleValue("focus_allocation_failures_total", new String[] {"kind"},
                new String[] {kind});
        return v == null ? 0 : v;
    }

    @Test
    void aBridgesOwnReasonTextNeverBecomesAnAllocationFailureLabel() {
        Harness h = new Harness();
        h.bridges.add("jvb1", 0.0, null);
        h.bridges.add("jvb2", 0.5, null);
        String junk = "zz-" + Long.toHexString(System.nanoTime()) + " <any text at all>";
        h.backend.faults.put(FakeBridges.id("jvb1"), op -> op.startsWith("allocate")
                ? ColibriException.error("internal-server-error", junk, "the bridge's words") : null);
        h.conference("c1", "p1", null, "p2", null);

        assertEquals(java.util.Map.of("p1", "jvb2", "p2", "jvb2"), h.placement("c1"), "placed elsewhere");
        assertTrue(allocationFailures(h, "internal-server-error") >= 1.0, "counted under the bounded condition");
        java.util.Set<String> kinds = new java.util.TreeSet<>();
        java.util.Collections.list(h.registry.metricFamilySamples()).stream()
                .filter(f -> f.name.equals("focus_allocation_failures"))
                .flatMap(f -> f.samples.stream())
                .forEach(s -> kinds.add(s.labelValues.get(0)));
        assertEquals(java.util.Set.of("internal-server-error"), kinds, "no series named after the bridge's reason");
    }

    @Test
    void theViewShowsWhetherAParticipantAcceptedAndHowManySourcesItSignalled() {
        Harness h = new Harness();
        h.bridges.add("jvb1", 0.1, null);
        h.conference("c1", "a", null, "b", null);
        ParticipantView before = h.view("c1").participant("a");
        assertTrue(before.placed());
        assertFalse(before.mediaSignalled());
        assertEquals(0, before.sourceCount());

        Sources two = Sources.of(new MediaSource("audio", "a-a0", List.of(new Source(11, "a-a0"))),
                new MediaSource("video", "a-v0", List.of(new Source(12, "a-v0"))));
        assertTrue(h.manager.participantMedia(Harness.room("c1"), "a", SignallingHooksTest.T, two));
        h.loop.runPending();
        ParticipantView after = h.view("c1").participant("a");
        assertTrue(after.mediaSignalled());
        assertEquals(2, after.sourceCount());
        // a source-remove (no transport) keeps the session accepted and updates the count
        assertTrue(h.manager.participantMedia(Harness.room("c1"), "a", null, SignallingHooksTest.sources(11)));
        assertEquals(1, h.view("c1").participant("a").sourceCount());
        assertTrue(h.view("c1").participant("a").mediaSignalled());
        assertFalse(h.view("c1").participant("b").mediaSignalled());
    }
}
