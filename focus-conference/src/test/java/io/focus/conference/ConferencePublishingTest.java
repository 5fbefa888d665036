package io.focus.conference;

import io.focus.core.testing.ManualLoop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.client.CollectorRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The end of each message of a conference is the one place its presence and its view are brought up to date. */
class ConferencePublishingTest {
    static final String ROOM = Harness.room("c1");

    @Test
    void aStateThatLastsOnlyWithinAMessageIsNeverAnnouncedInTheRoom() {
        Harness h = Harness.octo();
        h.bridges.add("jvb1", 0.1, null);
        FakeRooms.Room r = h.conference("c1", "a", null, "b", null);
        List<String> before = List.copyOf(r.presences);

        // jvb1 is excluded for a, nothing else can take it, so it restarts on jvb1: for a moment it had no bridge
        assertTrue(h.manager.restartParticipant(ROOM, "a", "ICE failed"));
        h.loop.runPending();

        assertEquals(Map.of("a", "jvb1", "b", "jvb1"), h.placement("c1"));
        assertEquals(before, r.presences, "no bridgeNotAvailable presence for a state no message ended in");
    }

    @Test
    void aTimerIsAMessageToo() {
        Harness h = new Harness();
        h.bridges.add("jvb1", 0.1, null);
        FakeRooms.Room r = h.conference("c1", "a", null, "b", null);
        r.leave("b");
        h.loop.runPending();
        assertEquals(Map.of("a", "jvb1"), h.placement("c1"));

        h.loop.advance(ConferenceSettings.defaults(Harness.MUC).singleParticipantTimeout());

        ConferenceView v = h.view("c1");
        assertEquals(ParticipantView.State.WAITING, v.participant("a").state());
        assertEquals(List.of(), v.bridges());
        assertEquals("0", r.presences.get(r.presences.size() - 1));
    }

    @Test
    void theEndIsPublishedThenToldToTheSignallerThenTheConferenceIsGone() {
        ManualLoop loop = new ManualLoop();
        FakeBridges bridges = new FakeBridges();
        FakeRooms rooms = new FakeRooms();
        List<ConferenceView> told = new ArrayList<>();
        List<ConferenceView> publishedThen = new ArrayList<>();
        ConferenceManager[] manager = new ConferenceManager[1];
        manager[0] = ConferenceManager.builder().settings(ConferenceSettings.defaults(Harness.MUC)).bridges(bridges)
                .selector(new TestSelector()).backend(new FakeBackend()).rooms(rooms).loop(loop).clock(loop.clock)
                .feedback(BridgeFeedback.NONE).metrics(new CollectorRegistry())
                .signaller(new NoSignalling() {
                    @Override public void onEnded(ConferenceView conference) {
                        told.add(conference);
                        publishedThen.add(manager[0].conference(ROOM));
                    }
                })
                .build().start();
        bridges.add("jvb1", 0.1, null);
        manager[0].requestConference(ROOM, Map.of());
        loop.runPending();
        FakeRooms.Room r = rooms.room(ROOM);
        r.join("a", null);
        r.join("b", null);
        loop.runPending();

        r.leave("a");
        r.leave("b");
        loop.runPending();

        assertEquals(1, told.size());
        assertTrue(told.get(0).ended());
        assertEquals(List.of(), told.get(0).participants());
        assertSame(told.get(0), publishedThen.get(0), "the signaller is told with the view just published");
        assertNull(manager[0].conference(ROOM), "and then the manager forgets the conference");
        assertTrue(r.left);
    }
}
