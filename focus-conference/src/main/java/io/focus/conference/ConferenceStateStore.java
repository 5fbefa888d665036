package io.focus.conference;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
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
 * {@code interval} (a crash loses at most that much: a bridge conference made in the last interval before a crash is
 * not known to the next process).
 * Each write replaces the file atomically (a temp file renamed over it), so a reader never sees half a file. An
 * unreadable file is moved aside ({@code conferences.json.bad}) and reported, and the focus starts without it.
 */
public final class ConferenceStateStore implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConferenceStateStore.class);
    static final String FILE = "conferences.json";
    static final int VERSION = 1;

    private final Path dir;
    private final Path file;
    private final ObjectMapper json = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private EventLoop.Cancellable task;
    private List<SavedConference> written;
    private boolean stopped;

    /** The file as written: a version, then the conferences. */
    record Contents(int version, List<SavedConference> conferences) {}

    /**
     * @throws IllegalArgumentException naming {@code focus.state.directory} when the directory cannot be created or
     *     written
     */
    public ConferenceStateStore(Path dir) {
        this.dir = Objects.requireNonNull(dir, "dir").toAbsolutePath();
        this.file = this.dir.resolve(FILE);
        try {
            Files.createDirectories(this.dir);
        } catch (IOException e) {
            throw new IllegalArgumentException("focus.state.directory " + this.dir + " cannot be created: " + e, e);
        }
        if (!Files.isDirectory(this.dir) || !Files.isWritable(this.dir)) {
            throw new IllegalArgumentException("focus.state.directory " + this.dir + " is not a writable directory");
        }
    }

    public Path file() { return file; }

    /** What the previous process left; empty when there is no file (or it was unreadable: moved aside, logged). */
    public List<SavedConference> load() {
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

    /** Writes {@code current} whenever it changed, checking every {@code interval} on {@code loop}. */
    public synchronized void start(Supplier<List<SavedConference>> current, Duration interval, ExecutorEventLoop loop) {
        if (task != null || stopped) {
            return;
        }
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
        Path tmp = dir.resolve(FILE + ".tmp");
        try {
            json.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), new Contents(VERSION, now));
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            written = List.copyOf(now);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }

    /** The focus is stopping: writes {@code last} and no more (ending the conferences afterwards changes nothing). */
    public synchronized void stop(List<SavedConference> last) {
        try {
            save(last);
        } finally {
            stopped = true;
            cancel();
        }
    }

    /** The conferences were expired on the bridges: nothing is left for a next process. */
    public synchronized void clear() {
        stopped = true;
        cancel();
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.error("Could not delete {}: {}", file, e.toString());
        }
    }

    @Override public synchronized void close() {
        stopped = true;
        cancel();
    }
}
