package io.focus.core.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the captured real-Jitsi stanzas from {@code ${focus.shared.dir}/fixtures/real-jitsi/} (surefire sets the
 * property to {@code <checkout>/../shared}). Fails with a message naming the property and path when they are
 * missing, never with a bare NPE.
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
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("fixture directory " + dir.toAbsolutePath() + " does not exist ("
                    + PROPERTY + "=" + shared + ")");
        }
        return dir;
    }

    /** The fixture file's content, e.g. {@code read("healthcheck-request.xml")}. */
    public static String read(String name) {
        Path file = dir().resolve(name);
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
