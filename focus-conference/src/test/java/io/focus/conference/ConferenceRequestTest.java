package io.focus.conference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ConferenceRequestTest {
    @ParameterizedTest
    @CsvSource(value = {
        "NULL, BAD_REQUEST", "'', BAD_REQUEST", "noatsign, BAD_REQUEST", "room@conference.meet.test/res, BAD_REQUEST",
        "a@b@conference.meet.test, BAD_REQUEST", "room@muc.other.test, NOT_ACCEPTABLE",
        "room@internal.auth.meet.test, NOT_ACCEPTABLE"}, nullValues = "NULL")
    void badRequestsAreRefusedWithoutSideEffects(String room, ConferenceRequestException.Kind kind) {
        Harness h = new Harness();
        var f = h.manager.requestConference(room, Map.of());
        h.loop.runPending();
        CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class, f::join);
        ConferenceRequestException cre = assertInstanceOf(ConferenceRequestException.class, e.getCause());
        assertEquals(kind, cre.kind());
        assertEquals(0, h.manager.conferenceCount());
        assertTrue(h.rooms.rooms.isEmpty());
        assertEquals(0.0, h.counter("jitsi_jicofo_conference_requests_total"));
    }

    @Test
    void aRequestCreatesTheConferenceOnceAndIsReadyWhenTheRoomIsJoined() {
        Harness h = new Harness();
        var f1 = h.manager.requestConference("Room1@Conference.Meet.Test", Map.of());
        var f2 = h.manager.requestConference("room1@conference.meet.test", Map.of());
        h.loop.runPending();
        assertEquals("room1@conference.meet.test", f1.join().roomJid());
        assertTrue(f2.join().ready());
        assertEquals(f1.join().meetingId(), f2.join().meetingId());
        assertEquals(1, h.manager.conferenceCount());
        assertEquals(2.0, h.counter("jitsi_jicofo_conference_requests_total"));
        assertEquals(1.0, h.counter("jitsi_jicofo_conference_requests_new_total"));
    }

    @Test
    void aRoomThatCannotBeJoinedFailsTheRequestAndLeavesNoConference() {
        Harness h = new Harness();
        h.rooms.failJoin = true;
        var f = h.manager.requestConference(Harness.room("r"), Map.of());
        h.loop.runPending();
        CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class, f::join);
        assertEquals(ConferenceRequestException.Kind.UNAVAILABLE,
                ((ConferenceRequestException) e.getCause()).kind());
        assertEquals(0, h.manager.conferenceCount());
    }

    /**
     * Found by XmppFuzzE2ETest: a room whose localpart cannot be a JID's (over 1023 bytes, or with a character a
     * localpart may not hold) passed the checks, the conference was created and its room could not be, and the
     * conference stayed registered, never joined: every later request for the room waited 30 s and was answered
     * with a null text, on which Smack's writer threw and closed the focus's connection. It is bad-request now.
     */
    @ParameterizedTest
    @CsvSource({"a'b", "a&b", "a:b", "1100x"})
    void aRoomThatIsNoJidIsABadRequestAndCreatesNothing(String local) {
        Harness h = new Harness();
        String room = (local.equals("1100x") ? "x".repeat(1100) : local) + "@conference.meet.test";
        var f = h.manager.requestConference(room, Map.of());
        h.loop.runPending();
        CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class, f::join);
        assertEquals(ConferenceRequestException.Kind.BAD_REQUEST, ((ConferenceRequestException) e.getCause()).kind());
        assertEquals(0, h.manager.conferenceCount());
        assertTrue(h.rooms.rooms.isEmpty());
    }

    @Test
    void aRoomThatCannotBeCreatedFailsTheRequestAndLeavesNoConference() {
        Harness h = new Harness();
        h.rooms.failCreate = true;
        var f = h.manager.requestConference(Harness.room("r"), Map.of());
        h.loop.runPending();
        CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class, f::join);
        assertEquals(ConferenceRequestException.Kind.UNAVAILABLE, ((ConferenceRequestException) e.getCause()).kind());
        assertEquals(0, h.manager.conferenceCount(), "no conference left holding the room");
        h.rooms.failCreate = false;
        var again = h.manager.requestConference(Harness.room("r"), Map.of());
        h.loop.runPending();
        assertTrue(again.join().ready(), "a later request creates it afresh");
    }

    @Test
    void anErrorAnswerAlwaysHasABoundedText() {
        assertEquals("no answer within " + ConferenceIqHandler.ANSWER_TIMEOUT_SECONDS + " s",
                ConferenceIqHandler.errorText(new java.util.concurrent.TimeoutException()));
        assertEquals("NullPointerException", ConferenceIqHandler.errorText(new NullPointerException()));
        assertEquals(301, ConferenceIqHandler.errorText(new IllegalStateException("y".repeat(5000))).length());
    }

    @Test
    void settingsReadJicofoKeysAndDeriveTheMucDomain() {
        var s = ConferenceSettings.fromConfig(com.typesafe.config.ConfigFactory.parseString(
                "jicofo.xmpp.client.xmpp-domain = meet.example.com\njicofo.conference.min-participants = 3\n"
                        + "jicofo.octo.enabled = true"));
        assertEquals("conference.meet.example.com", s.conferenceMucDomain());
        assertEquals(3, s.minParticipants());
        assertTrue(s.octoEnabled());
        assertEquals(java.time.Duration.ofSeconds(15), s.initialTimeout());
        assertEquals(java.time.Duration.ofSeconds(20), s.singleParticipantTimeout());
        var bad = com.typesafe.config.ConfigFactory.parseString("jicofo.conference.min-participants = 0");
        var ex = org.junit.jupiter.api.Assertions.assertThrows(com.typesafe.config.ConfigException.class,
                () -> ConferenceSettings.fromConfig(bad));
        assertTrue(ex.getMessage().contains("jicofo.conference.min-participants"));
    }
}
