package io.focus.conference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focus.core.bridge.BridgeState;
import io.focus.core.loop.EventLoops;
import io.focus.core.loop.ExecutorEventLoop;
import io.focus.core.testing.ManualLoop;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The saved conferences: written, read back by the next process, an unreadable file moved aside. */
class ConferenceStateStoreTest {
    @TempDir
    Path dir;

    static final List<SavedConference> ONE = List.of(new SavedConference("r@conference.meet.test", "mid-1",
            List.of(new SavedConference.Bridge("brewery@internal/jvb1", "jvb1", "jvb1", List.of("a", "b")))));

    @Test
    void whatOneProcessSavesTheNextReads() {
        ConferenceStateStore s = new ConferenceStateStore(dir.resolve("state"));
        assertEquals(List.of(), s.load());
        s.save(ONE);
        assertEquals(ONE, new ConferenceStateStore(dir.resolve("state")).load());
        assertFalse(Files.exists(dir.resolve("state/conferences.json.tmp")), "written through a temp file, renamed");
    }

    @Test
    void afterStopNothingIsWrittenAndClearLeavesNothing() {
        ConferenceStateStore s = new ConferenceStateStore(dir);
        s.stop(ONE);
        s.save(List.of());
        assertEquals(ONE, new ConferenceStateStore(dir).load(), "ending the conferences after stop changes nothing");
        s.clear();
        assertEquals(List.of(), new ConferenceStateStore(dir).load());
    }

    @Test
    void anUnreadableFileIsMovedAsideAndTheFocusStartsWithout() throws Exception {
        Files.writeString(dir.resolve("conferences.json"), "{not json");
        assertEquals(List.of(), new ConferenceStateStore(dir).load());
        assertTrue(Files.exists(dir.resolve("conferences.json.bad")));
        assertFalse(Files.exists(dir.resolve("conferences.json")));
    }

    @Test
    void aDirectoryThatCannotBeWrittenIsRefusedNamingTheKey() throws Exception {
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ConferenceStateStore(file.resolve("sub")));
        assertTrue(e.getMessage().contains("focus.state.directory"), e.getMessage());
    }
    static final BridgeState JVB1 = BridgeState.builder("brewery@internal/jvb1").nick("jvb1").relayId("jvb1").build();
    static final BridgeState JVB2 = BridgeState.builder("brewery@internal/jvb2").nick("jvb2").relayId("jvb2").build();

    @Test
    void allocationsMadeAfterTheLastSaveAreJournaledAndTheNextProcessSeesThem() {
        ConferenceStateStore s = new ConferenceStateStore(dir);
        s.save(ONE);
        // after the last save, before a kill: an endpoint on the saved bridge, a second bridge, a new conference
        s.allocating("r@conference.meet.test", "mid-1", JVB1, "c");
        s.allocating("r@conference.meet.test", "mid-1", JVB2, "d");
        s.allocating("s@conference.meet.test", "mid-2", JVB2, "e");
        // killed: no stop, no save; the next process
        List<SavedConference> loaded = new ConferenceStateStore(dir).load();
        assertEquals(List.of(
                new SavedConference("r@conference.meet.test", "mid-1", List.of(
                        new SavedConference.Bridge(JVB1.id(), "jvb1", "jvb1", List.of("a", "b", "c")),
                        new SavedConference.Bridge(JVB2.id(), "jvb2", "jvb2", List.of("d")))),
                new SavedConference("s@conference.meet.test", "mid-2", List.of(
                        new SavedConference.Bridge(JVB2.id(), "jvb2", "jvb2", List.of("e"))))), loaded);
    }

    @Test
    void aSaveKeepsOnlyWhatItDoesNotShowYetAndIsRecent() throws Exception {
        ManualLoop.FakeClock clock = new ManualLoop.FakeClock();
        ConferenceStateStore s = new ConferenceStateStore(dir, clock);
        s.allocating("r@conference.meet.test", "mid-1", JVB1, "a");
        s.allocating("r@conference.meet.test", "mid-1", JVB1, "b");
        s.allocating("q@conference.meet.test", "mid-9", JVB2, "z");
        s.save(ONE);
        // a and b are in the file now; z is not (yet): it stays
        assertEquals(1, journalLines().size(), journalLines().toString());
        assertTrue(journalLines().get(0).contains("mid-9"));
        clock.now = clock.now.plus(ConferenceStateStore.JOURNAL_KEEP).plusMillis(1);
        s.save(List.of());
        // z is older than the bound and no save showed it: it was released since
        assertEquals(List.of(), journalLines());
        assertEquals(List.of(), new ConferenceStateStore(dir).load());
    }

    @Test
    void aNewProcesssOwnAllocationsAreNeverTakenForItsPredecessors() throws Exception {
        ConferenceStateStore first = new ConferenceStateStore(dir);
        first.allocating("r@conference.meet.test", "mid-1", JVB1, "a");
        // killed; the next process allocates before it has read what the first left (it waits for the brewery)
        ConferenceStateStore second = new ConferenceStateStore(dir);
        second.allocating("new@conference.meet.test", "mid-2", JVB2, "x");
        assertEquals(List.of(new SavedConference("r@conference.meet.test", "mid-1", List.of(
                new SavedConference.Bridge(JVB1.id(), "jvb1", "jvb1", List.of("a"))))), second.load());
        // killed again before its first save: the third sees both processes' allocations
        List<SavedConference> third = new ConferenceStateStore(dir).load();
        assertEquals(List.of("r@conference.meet.test", "new@conference.meet.test"),
                third.stream().map(SavedConference::room).toList());
    }

    @Test
    void theFirstSaveAfterTakingTheRoomsBackDropsThePreviousJournal() throws Exception {
        new ConferenceStateStore(dir).allocating("r@conference.meet.test", "mid-1", JVB1, "a");
        ConferenceStateStore next = new ConferenceStateStore(dir);
        assertEquals(1, next.load().size());
        assertTrue(Files.exists(dir.resolve(ConferenceStateStore.PREVIOUS_JOURNAL)));
        try (ExecutorEventLoop state = EventLoops.unregistered().create("state-test")) {
            next.start(List::of, java.time.Duration.ofHours(1), state);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> !Files.exists(dir.resolve(ConferenceStateStore.PREVIOUS_JOURNAL)));
        }
        next.close();
        assertEquals(List.of(), new ConferenceStateStore(dir).load(), "taken back (or expired): not again");
    }

    @Test
    void aHalfWrittenLineIsSkipped() throws Exception {
        new ConferenceStateStore(dir).allocating("r@conference.meet.test", "mid-1", JVB1, "a");
        Files.writeString(dir.resolve(ConferenceStateStore.JOURNAL), "{\"at\":1,\"room\":\"s@conf",
                java.nio.file.StandardOpenOption.APPEND);
        assertEquals(List.of(new SavedConference("r@conference.meet.test", "mid-1", List.of(
                new SavedConference.Bridge(JVB1.id(), "jvb1", "jvb1", List.of("a"))))),
                new ConferenceStateStore(dir).load());
    }

    @Test
    void stoppedBeforeTakingTheRoomsBackItKeepsWhatThePreviousProcessLeft() {
        ConferenceStateStore first = new ConferenceStateStore(dir);
        first.save(ONE);
        first.allocating("r@conference.meet.test", "mid-1", JVB2, "c");
        // killed; the next process stops before the brewery was joined (it never took the rooms back)
        ConferenceStateStore second = new ConferenceStateStore(dir);
        second.allocating("new@conference.meet.test", "mid-2", JVB2, "x");
        List<SavedConference> own = List.of(new SavedConference("new@conference.meet.test", "mid-2", List.of(
                new SavedConference.Bridge(JVB2.id(), "jvb2", "jvb2", List.of("x")))));
        second.stop(own);
        java.util.Map<String, List<String>> bridges = new java.util.TreeMap<>();
        new ConferenceStateStore(dir).load().forEach(c -> bridges.put(c.room(), c.bridges().stream()
                .map(b -> b.nick() + b.endpoints()).toList()));
        assertEquals(java.util.Map.of(
                "r@conference.meet.test", List.of("jvb1[a, b]", "jvb2[c]"),  // the first process's file and journal
                "new@conference.meet.test", List.of("jvb2[x]")), bridges);
    }

    @Test
    void clearedBeforeTakingTheRoomsBackOnlyItsOwnConferencesGo() {
        new ConferenceStateStore(dir).save(ONE);
        ConferenceStateStore second = new ConferenceStateStore(dir);
        second.allocating("new@conference.meet.test", "mid-2", JVB2, "x");
        // expire-conferences = true: its own conferences were expired, the first process's were never taken back
        second.stop(List.of(new SavedConference("new@conference.meet.test", "mid-2", List.of())));
        second.clear();
        assertEquals(ONE, new ConferenceStateStore(dir).load());
    }

    private List<String> journalLines() throws Exception {
        Path j = dir.resolve(ConferenceStateStore.JOURNAL);
        return Files.exists(j) ? Files.readAllLines(j).stream().filter(l -> !l.isBlank()).toList() : List.of();
    }
}
