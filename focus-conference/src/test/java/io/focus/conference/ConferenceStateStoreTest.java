package io.focus.conference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
