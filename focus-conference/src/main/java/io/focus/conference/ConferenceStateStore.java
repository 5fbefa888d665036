package io.focus.conference;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.focus.core.bridge.BridgeState;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import io.focus.core.loop.EventLoop;
import io.focus.core.loop.ExecutorEventLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The conferences of this focus process on disk ({@code <focus.state.directory>/conferences.json}): room, meeting id,
 * and the bridges with their endpoints (see {@link SavedConference}). The next process reads it at start-up and takes
 * the rooms back ({@link ConferenceManager#restore}), so that a restart neither abandons calls nor leaves bridge
 * conferences behind.
 *
 * <p>Written on the loop it is given ({@code focus-state}) whenever the conferences changed, checked every
 * {@code interval}. Each write replaces the file atomically (a temp file renamed over it), so a reader never sees half
 * a file. An unreadable file is moved aside ({@code conferences.json.bad}) and reported, and the focus starts without
 * it.
 *
 * <p><b>The journal.</b> Between two writes a killed process would lose the bridge conferences and endpoints it had
 * just made, and they would stay on the bridges. So every allocation is also appended, before it is sent, to
 * {@code conferences.journal} ({@link AllocationJournal}: one JSON line, written through to the kernel, no sync to
 * disk: what a killed process wrote is not lost, only a machine crash could lose it). Each write of the conferences
 * keeps in the journal only what they do not show yet and is younger than {@link #JOURNAL_KEEP} (an allocation
 * older than that which they do not show was released since). A new process first moves the journal it finds aside
 * ({@code conferences.journal.previous}, added to one that is still there), so that its own allocations are never
 * mistaken for its predecessor's; {@link #load} adds that journal to the saved conferences, and the first write after
 * {@link #start} deletes it. A line that cannot be read (a process killed in the middle of one) is skipped and logged.
 */
public final class ConferenceStateStore implements AutoCloseable, AllocationJournal {
    private static final Logger log = LoggerFactory.getLogger(ConferenceStateStore.class);
    static final String FILE = "conferences.json";
    static final String JOURNAL = "conferences.journal";
    static final String PREVIOUS_JOURNAL = JOURNAL + ".previous";
    static final int VERSION = 1;
    /** How long an allocation the saved conferences do not show stays in the journal. */
    static final Duration JOURNAL_KEEP = Duration.ofSeconds(5);

    private final Path dir;
    private final Path file;
    private final ObjectMapper json = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private EventLoop.Cancellable task;
    private List<SavedConference> written;
    private boolean stopped;
    private final Path journalFile;
    private final Path previousJournal;
    private final Clock clock;
    /** Appends to the journal; null until the first allocation after a write (or when it could not be opened). */
    private Writer journal;
    /** What the journal holds, oldest first. */
    private final List<JournalEntry> journaled = new ArrayList<>();
    /** The previous process's journal was read ({@link #load}) and the saving started: deleted on the next write. */
    private boolean previousTaken;
    /** {@link #start} was called: the rooms were taken back. */
    private boolean started;
    /** What the previous process left, as {@link #load} read it before this one first wrote the file (null until). */
    private List<SavedConference> previousLeft;

    /** One allocation as the journal holds it (one JSON line). */
    record JournalEntry(long at, String room, String meetingId, String bridge, String nick, String relayId,
                        String endpoint) {}

    /** The file as written: a version, then the conferences. */
    record Contents(int version, List<SavedConference> conferences) {}

    /**
     * @throws IllegalArgumentException naming {@code focus.state.directory} when the directory cannot be created or
     *     written
     */
    public ConferenceStateStore(Path dir) {
        this(dir, Clock.systemUTC());
    }

    /** As {@link #ConferenceStateStore(Path)}, with the clock that dates the journal's lines. */
    ConferenceStateStore(Path dir, Clock clock) {
        this.dir = Objects.requireNonNull(dir, "dir").toAbsolutePath();
        this.file = this.dir.resolve(FILE);
        this.journalFile = this.dir.resolve(JOURNAL);
        this.previousJournal = this.dir.resolve(PREVIOUS_JOURNAL);
        this.clock = Objects.requireNonNull(clock, "clock");
        try {
            Files.createDirectories(this.dir);
        } catch (IOException e) {
            throw new IllegalArgumentException("focus.state.directory " + this.dir + " cannot be created: " + e, e);
        }
        if (!Files.isDirectory(this.dir) || !Files.isWritable(this.dir)) {
            throw new IllegalArgumentException("focus.state.directory " + this.dir + " is not a writable directory");
        }
        setPreviousJournalAside();
    }

    /** The journal a previous process left becomes (part of) the previous journal; this process starts its own. */
    private void setPreviousJournalAside() {
        if (!Files.exists(journalFile)) {
            return;
        }
        try {
            if (Files.exists(previousJournal)) {
                // that one was never taken back (the process before this one stopped before its first write)
                Files.write(previousJournal, Files.readAllBytes(journalFile), StandardOpenOption.APPEND);
                Files.delete(journalFile);
            } else {
                Files.move(journalFile, previousJournal, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("focus.state.directory " + dir + ": could not set the previous "
                    + "process's journal aside: " + e, e);
        }
    }

    public Path file() { return file; }

    /**
     * What the previous process left: its saved conferences (none when there is no file, or it was unreadable: moved
     * aside, logged) with the allocations its journal adds to them. Read once, before this process first writes the
     * file: a later call (a stop before the rooms were taken back) gets the same.
     */
    public synchronized List<SavedConference> load() {
        if (previousLeft == null) {
            List<SavedConference> saved = loadFile();
            List<JournalEntry> previous = readPrevious();
            if (!previous.isEmpty()) {
                log.info("The previous focus process's journal ({}) adds {} allocation(s) its last save did not show",
                        previousJournal, previous.stream().filter(e -> !covers(saved, e)).count());
            }
            previousLeft = previous.isEmpty() ? saved : withJournal(saved, previous);
        }
        return previousLeft;
    }

    private List<SavedConference> loadFile() {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            Contents c = json.readValue(file.toFile(), Contents.class);
            if (c.version() != VERSION) {
                throw new IOException("version " + c.version() + ", expected " + VERSION);
            }
            return c.conferences() == null ? List.of() : List.copyOf(c.conferences());
        } catch (IOException | RuntimeException e) {
            Path bad = dir.resolve(FILE + ".bad");
            log.error("The saved conferences in {} are unreadable ({}): starting without them; the file is moved to {}",
                    file, e.toString(), bad);
            try {
                Files.move(file, bad, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException moveFailed) {
                log.error("Could not move {} aside: {}", file, moveFailed.toString());
            }
            return List.of();
        }
    }

    private List<JournalEntry> readPrevious() {
        if (!Files.exists(previousJournal)) {
            return List.of();
        }
        List<JournalEntry> out = new ArrayList<>();
        int bad = 0;
        try {
            for (String line : Files.readAllLines(previousJournal, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    JournalEntry e = json.readValue(line, JournalEntry.class);
                    if (e.room() == null || e.meetingId() == null || e.bridge() == null) {
                        throw new IOException("room, meetingId and bridge are required");
                    }
                    out.add(e);
                } catch (IOException e) {
                    bad++;
                }
            }
        } catch (IOException e) {
            log.error("The previous focus process's journal {} is unreadable ({}): starting without it", previousJournal,
                    e.toString());
            return List.of();
        }
        if (bad > 0) {
            log.warn("Skipped {} unreadable line(s) of {} (a process killed while writing one leaves it half)", bad,
                    previousJournal);
        }
        return out;
    }

    /** The saved conferences with the journal's allocations added (a conference, a bridge, an endpoint). */
    static List<SavedConference> withJournal(List<SavedConference> saved, List<JournalEntry> entries) {
        Map<String, SavedConference> byKey = new LinkedHashMap<>();
        for (SavedConference c : saved) {
            byKey.put(c.room() + " " + c.meetingId(), c);
        }
        for (JournalEntry e : entries) {
            String key = e.room() + " " + e.meetingId();
            SavedConference c = byKey.getOrDefault(key, new SavedConference(e.room(), e.meetingId(), List.of()));
            List<SavedConference.Bridge> bridges = new ArrayList<>(c.bridges());
            int i = 0;
            while (i < bridges.size() && !bridges.get(i).id().equals(e.bridge())) {
                i++;
            }
            if (i == bridges.size()) {
                bridges.add(new SavedConference.Bridge(e.bridge(), e.nick(), e.relayId(), List.of()));
            }
            SavedConference.Bridge b = bridges.get(i);
            if (e.endpoint() != null && !b.endpoints().contains(e.endpoint())) {
                List<String> endpoints = new ArrayList<>(b.endpoints());
                endpoints.add(e.endpoint());
                bridges.set(i, new SavedConference.Bridge(b.id(), b.nick(), b.relayId(), endpoints));
            }
            byKey.put(key, new SavedConference(c.room(), c.meetingId(), bridges));
        }
        return List.copyOf(byKey.values());
    }

    /** Whether the saved conferences show the allocation already. */
    static boolean covers(List<SavedConference> saved, JournalEntry e) {
        for (SavedConference c : saved) {
            if (c.room().equals(e.room()) && c.meetingId().equals(e.meetingId())) {
                for (SavedConference.Bridge b : c.bridges()) {
                    if (b.id().equals(e.bridge()) && (e.endpoint() == null || b.endpoints().contains(e.endpoint()))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    @Override
    public synchronized void allocating(String room, String meetingId, BridgeState bridge, String endpointId) {
        if (stopped) {
            return;
        }
        JournalEntry e = new JournalEntry(clock.millis(), room, meetingId, bridge.id(), bridge.nick(),
                bridge.relayId(), endpointId);
        try {
            if (journal == null) {
                journal = Files.newBufferedWriter(journalFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            }
            journal.write(json.writeValueAsString(e));
            journal.write('\n');
            journal.flush();
            journaled.add(e);
        } catch (IOException ex) {
            // the allocation still goes out: the call matters more than the record of it (said, counted in the log)
            log.error("Could not write the allocation of {} in {} on {} to {}: {} (a crash before the next save of the "
                    + "conferences would leave it on the bridge)", endpointId, room, bridge.nick(), journalFile,
                    ex.toString());
            closeJournal();
        }
    }

    private void closeJournal() {
        if (journal != null) {
            try {
                journal.close();
            } catch (IOException e) {
                log.warn("Closing {} failed: {}", journalFile, e.toString());
            }
            journal = null;
        }
    }

    /** After a write of {@code now}: the journal keeps what it does not show and is younger than the bound. */
    private void pruneJournal(List<SavedConference> now) {
        long oldest = clock.millis() - JOURNAL_KEEP.toMillis();
        List<JournalEntry> keep = new ArrayList<>();
        for (JournalEntry e : journaled) {
            if (e.at() >= oldest && !covers(now, e)) {
                keep.add(e);
            }
        }
        if (keep.size() == journaled.size()) {
            return;
        }
        closeJournal();
        Path tmp = dir.resolve(JOURNAL + ".tmp");
        try {
            StringBuilder text = new StringBuilder();
            for (JournalEntry e : keep) {
                text.append(json.writeValueAsString(e)).append('\n');
            }
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, journalFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            journaled.clear();
            journaled.addAll(keep);
        } catch (IOException e) {
            // the longer journal stays: the next process re-uses or expires a little more than it needs to
            log.error("Could not shorten {}: {}", journalFile, e.toString());
        }
    }

    /** Writes {@code current} whenever it changed, checking every {@code interval} on {@code loop}. */
    public synchronized void start(Supplier<List<SavedConference>> current, Duration interval, ExecutorEventLoop loop) {
        if (task != null || stopped) {
            return;
        }
        previousTaken = true;
        started = true;
        task = loop.scheduleWithFixedDelay(() -> {
            try {
                save(current.get());
            } catch (RuntimeException e) {
                log.error("Saving the conferences to {} failed", file, e);
            }
        }, Duration.ZERO, interval);
    }

    private void cancel() {
        if (task != null) {
            task.cancel();
            task = null;
        }
    }

    /** Writes the state if it changed since the last write (and the store is not stopped). */
    public synchronized void save(List<SavedConference> now) {
        if (stopped || now.equals(written)) {
            return;
        }
        if (!started) {
            load(); // before this process's first write replaces it
        }
        try {
            write(now);
            written = List.copyOf(now);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
        pruneJournal(now);
        if (previousTaken) {
            // what the previous process left was taken back and is in the file now (re-used) or expired
            previousTaken = false;
            try {
                Files.deleteIfExists(previousJournal);
            } catch (IOException e) {
                log.error("Could not delete {}: {}", previousJournal, e.toString());
            }
        }
    }

    /** Replaces the file with {@code conferences} (through a temp file renamed over it). */
    private void write(List<SavedConference> conferences) throws IOException {
        Path tmp = dir.resolve(FILE + ".tmp");
        json.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), new Contents(VERSION, conferences));
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Both lists' conferences; one in both (same room and meeting id) has the bridges and endpoints of either. */
    static List<SavedConference> union(List<SavedConference> a, List<SavedConference> b) {
        List<SavedConference> out = new ArrayList<>(a);
        List<JournalEntry> entries = new ArrayList<>();
        for (SavedConference c : b) {
            if (c.bridges().isEmpty() && a.stream().noneMatch(x -> x.room().equals(c.room())
                    && x.meetingId().equals(c.meetingId()))) {
                out.add(c);
            }
            for (SavedConference.Bridge br : c.bridges()) {
                if (br.endpoints().isEmpty()) {
                    entries.add(new JournalEntry(0, c.room(), c.meetingId(), br.id(), br.nick(), br.relayId(), null));
                }
                for (String ep : br.endpoints()) {
                    entries.add(new JournalEntry(0, c.room(), c.meetingId(), br.id(), br.nick(), br.relayId(), ep));
                }
            }
        }
        return withJournal(out, entries);
    }

    /**
     * The focus is stopping: writes {@code last} and no more (ending the conferences afterwards changes nothing).
     * Stopped before it took its rooms back ({@link #start} not called yet), it writes them with what the previous
     * process left, so that the next one still finds those.
     */
    public synchronized void stop(List<SavedConference> last) {
        try {
            save(started ? last : union(load(), last));
        } finally {
            stopped = true;
            cancel();
            closeJournal();
        }
    }

    /**
     * The conferences were expired on the bridges: nothing of this process is left for a next one. What the previous
     * process left, when this one stopped before taking it back ({@link #start} not called yet), is kept for the next.
     */
    public synchronized void clear() {
        List<SavedConference> keep = started ? List.of() : load();
        stopped = true;
        cancel();
        closeJournal();
        if (!keep.isEmpty()) {
            try {
                write(keep);
                log.info("Stopped before taking back the {} conference(s) the previous focus process left: kept in {}",
                        keep.size(), file);
            } catch (IOException e) {
                log.error("Could not keep the previous process's conferences in {}: {}", file, e.toString());
            }
        }
        for (Path f : keep.isEmpty() ? List.of(file, journalFile, previousJournal) : List.of(journalFile,
                previousJournal)) {
            try {
                Files.deleteIfExists(f);
            } catch (IOException e) {
                log.error("Could not delete {}: {}", f, e.toString());
            }
        }
    }

    @Override public synchronized void close() {
        stopped = true;
        cancel();
        closeJournal();
    }
}
