package io.focus.app.conformance;

import io.focus.sim.prosody.ProsodyExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The {@link ReplayedCall} a conformance test plays on its class's Prosody: started through {@link CallSetup} with its
 * config in a directory of its own, and closed after the test (also a failed one), that directory deleted.
 * <pre>{@code
 * @RegisterExtension static ProsodyExtension prosody = new ProsodyExtension();
 * @RegisterExtension final ReplayFixture replay = new ReplayFixture(prosody);
 * }</pre>
 */
final class ReplayFixture implements AfterEachCallback {
    private final ProsodyExtension prosody;
    private ReplayedCall call;
    private Path dir;

    ReplayFixture(ProsodyExtension prosody) {
        this.prosody = prosody;
    }

    /** {@link CallSetup#start} on this class's Prosody. */
    ReplayedCall start(RecordedSequence setup, List<String> bridges, List<RecordedSequence> bridgeSources,
                       String extraConfig, List<String> joinOrder) throws Exception {
        return hold(CallSetup.start(prosody.server(), dir(), setup, bridges, bridgeSources, extraConfig, joinOrder));
    }

    /** {@link CallSetup#sequenceA} on this class's Prosody. */
    ReplayedCall sequenceA(RecordedSequence a) throws Exception {
        return hold(CallSetup.sequenceA(prosody.server(), dir(), a));
    }

    private ReplayedCall hold(ReplayedCall started) {
        if (call != null) {
            started.close();
            throw new IllegalStateException("one replayed call per test");
        }
        call = started;
        return started;
    }

    private Path dir() throws IOException {
        if (dir == null) {
            dir = Files.createTempDirectory("focus-conformance");
        }
        return dir;
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        ReplayedCall c = call;
        call = null;
        if (c != null) {
            c.close();
        }
        Path d = dir;
        dir = null;
        if (d != null) {
            try (Stream<Path> all = Files.walk(d)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> {
                    try {
                        Files.delete(p);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        }
    }
}
