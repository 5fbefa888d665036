package io.focus.core.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Reads the captured real-Jitsi stanzas from {@code ${focus.shared.dir}/fixtures/real-jitsi/} (surefire sets the
 * property to {@code <checkout>/../shared}). When that directory is absent (a fresh clone without {@code ../shared}
 * beside it) the calling test is <em>skipped</em> with a message saying so; CI always has it, so there they run. A
 * missing file inside a present directory is an error.
 */
public final class Fixtures {
    public static final String PROPERTY = "focus.shared.dir";

    private Fixtures() {}

    public static Path dir() {
        String shared = System.getProperty(PROPERTY);
        if (shared == null || shared.isBlank()) {
            throw new IllegalStateException("system property '" + PROPERTY + "' is not set; run the tests through "
                    + "Maven (surefire sets it to <checkout>/../shared) or pass -D" + PROPERTY + "=/path/to/shared");
        }
        Path dir = Path.of(shared, "fixtures", "real-jitsi");
        Assumptions.assumeTrue(Files.isDirectory(dir), () -> "skipped: the recordings in " + dir.toAbsolutePath()
                + " are absent (" + PROPERTY + "=" + shared + "; ../shared is not beside this checkout)");
        return dir;
    }

    /** The recorded real calls, {@code ${focus.shared.dir}/fixtures/real-call/} (skips the test when absent). */
    public static Path realCallDir() {
        Path dir = dir().resolveSibling("real-call");
        Assumptions.assumeTrue(Files.isDirectory(dir), () -> "skipped: " + dir.toAbsolutePath() + " is absent");
        return dir;
    }

    /** A file of the recorded real calls, e.g. {@code realCall("a-048-focus-to-jvb1-colibri2-endpoint-update.xml")}. */
    public static String realCall(String name) {
        return readFile(realCallDir().resolve(name));
    }

    /** The fixture file's content, e.g. {@code read("healthcheck-request.xml")}. */
    public static String read(String name) {
        return readFile(dir().resolve(name));
    }

    private static String readFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("fixture " + file.toAbsolutePath() + " does not exist");
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read fixture " + file.toAbsolutePath() + ": " + e, e);
        }
    }
}
