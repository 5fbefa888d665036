package io.focus.app.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes config files for tests. */
public final class TestFiles {
    private TestFiles() {}

    public static final String VALID = """
            jicofo {
              bridge.brewery-jid = "JvbBrewery@internal.auth.meet.test"
              xmpp.client {
                xmpp-domain = "meet.test"
                domain = "auth.meet.test"
                username = "focus"
                password = "s3cret-focus"
              }
              rest { host = "127.0.0.1", port = 0 }
            }
            """;

    public static Path write(Path dir, String name, String content) {
        try {
            Files.createDirectories(dir);
            return Files.writeString(dir.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
