package io.focus.conference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focus.core.colibri.IceUdpTransport;
import io.focus.core.colibri.MediaSource;
import io.focus.core.colibri.Source;
import io.focus.core.colibri.Sources;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the conference does when the signalling layer acts through {@link ConferenceControl}. */
class SignallingHooksTest {
    static Sources sources(long ssrc) {
        return Sources.of(new MediaSource("audio", "a-" + ssrc, List.of(new Source(ssrc, "a-" + ssrc))));
    }

    static final IceUdpTransport T = IceUdpTransport.builder().ufrag("u").pwd("p").build();

    @Test
    void participantMediaGoesToItsBridgeAndOverTheRelaysAndIntoLaterRelayCreates() {
        Harness h = Harness.octo();
        h.bridges.add("jvb1", 0.1, "us-east");
        h.bridges.add("jvb2", 0.1, "eu-west");
        h.conference("c1", "a", "us-east", "b", "eu-west");
        h.backend.calls.clear();
        assertTrue(h.manager.participantMedia(Harness.room("c1"), "a", T, sources(11)));
        h.loop.runPending();
        assertEquals(List.of("jvb1 update a transport [11]", "jvb2 relay-update jvb1 a [11]"), h.backend.calls);
        assertFalse(h.manager.participantMedia(Harness.room("c1"), "nobody", T, sources(1)));
        assertFalse(h.manager.participantMedia(Harness.room("nosuchroom"), "a", T, sources(1)));
        h.assertBridgesMatchFocus();
    }

    @Test
    void everyAllocationOnABridgeCarriesItsFeedbackSourcesEvenWhenOnlyTheCreateReplyHadThem() {
        Harness h = Harness.octo();
        Sources jvb = Sources.of(new MediaSource("audio", "jvb-a0", List.of(new Source(376683115L, "jvb-a0"))),
                new MediaSource("video", "jvb-v0", List.of(new Source(3238326951L, "jvb-v0"))));
        h.backend.feedbackOnCreate = jvb;
        h.bridges.add("jvb1", 0.1, "us-east");
        h.bridges.add("jvb2", 0.1, "eu-west");
        h.conference("c1", "a", "us-east", "b", "us-east", "c", "eu-west");
        assertEquals(Map.of("a", "jvb1", "b", "jvb1", "c", "jvb2"), h.placement("c1"));
        for (String id : List.of("a", "b", "c")) {
            assertEquals(jvb, h.view("c1").participant(id).allocation().feedbackSources(), id);
        }
        h.backend.feedbackOnCreate = null;
        h.bridges.add("jvb3", 0.1, "ap-south");
        FakeRooms.Room r = h.rooms.room(Harness.room("c1"));
        r.join("d", "ap-south");
        h.loop.runPending();
        assertEquals("jvb3", h.placement("c1").get("d"));
        assertEquals(null, h.view("c1").participant("d").allocation().feedbackSources(),
                "a bridge that gave none: none (not another bridge's)");
    }

    @Test
    void restartMovesTheParticipantOffItsBridgeWhenTheConferenceCanSpread() {
        Harness h = Harness.octo();
        h.bridges.add("jvb1", 0.1, null);
        h.bridges.add("jvb2", 0.2, null);
        h.conference("c1", "a", null, "b", null);
        assertEquals(Map.of("a", "jvb1", "b", "jvb1"), h.placement("c1"));
        assertTrue(h.manager.restartParticipant(Harness.room("c1"), "a", "ICE failed"));
        h.loop.runPending();
        assertEquals(Map.of("a", "jvb2", "b", "jvb1"), h.placement("c1"));
        assertTrue(h.signals.contains("moving a jvb1"));
        h.assertBridgesMatchFocus();
    }

    @Test
    void aClientReportedRestartIsToldToTheBridgesSuspicionCountWithTheParticipantAndTheBridgeItWasOn() {
        Harness h = Harness.octo();
        h.bridges.add("jvb1", 0.1, null);
        h.bridges.add("jvb2", 0.2, null);
        h.conference("c1", "a", null, "b", null);
        assertTrue(h.manager.restartParticipant(Harness.room("c1"), "a", "ICE failed"));
        h.loop.runPending();
        assertEquals(List.of("trouble jvb1 " + Harness.room("c1") + "/a"),
                h.feedback.stream().filter(f -> f.startsWith("trouble")).toList(),
                "the bridge it was on, before the move");
        assertFalse(h.manager.restartParticipant(Harness.room("c1"), "nobody", "ICE failed"));
        assertEquals(1, h.feedback.stream().filter(f -> f.startsWith("trouble")).count(), "nobody placed: nothing told");
    }

    @Test
    void restartWithoutAnotherUsableBridgeRestartsOnTheSameOne() {
        Harness h = new Harness();  // octo off: the conference cannot spread
        h.bridges.add("jvb1", 0.1, null);
        h.bridges.add("jvb2", 0.2, null);
        h.conference("c1", "a", null, "b", null);
        h.backend.calls.clear();
        assertTrue(h.manager.restartParticipant(Harness.room("c1"), "a", "ICE failed"));
        h.loop.runPending();
        assertEquals(Map.of("a", "jvb1", "b", "jvb1"), h.placement("c1"));
        assertEquals(List.of("jvb1 expire a", "jvb1 allocate a"), h.backend.calls, "a fresh endpoint on jvb1");
        h.assertBridgesMatchFocus();
    }

    @Test
    void releaseTakesTheParticipantOffAndItStaysOffUntilItRejoins() {
        Harness h = new Harness();
        h.bridges.add("jvb1", 0.1, null);
        FakeRooms.Room r = h.conference("c1", "a", null, "b", null, "c", null);
        assertTrue(h.manager.releaseParticipant(Harness.room("c1"), "c", "never answered"));
        h.loop.runPending();
        assertEquals(Set.of("a", "b"), h.backend.endpointsOn(FakeBridges.id("jvb1")));
        assertEquals(ParticipantView.State.WAITING, h.view("c1").participant("c").state());
        assertTrue(h.signals.contains("removed c"));
        r.join("d", null);
        h.loop.runPending();
        assertEquals(ParticipantView.State.WAITING, h.view("c1").participant("c").state(), "not placed again");
        r.leave("c");
        r.join("c", null);
        h.loop.runPending();
        assertEquals("jvb1", h.placement("c1").get("c"), "placed again after rejoining");
        h.assertBridgesMatchFocus();
    }
}
