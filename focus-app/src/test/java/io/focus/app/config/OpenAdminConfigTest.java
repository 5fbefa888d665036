package io.focus.app.config;

import static io.focus.app.testing.TestFiles.VALID;
import static io.focus.app.testing.TestFiles.write;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The admin API is not opened to the network without a token unless the operator says so. */
class OpenAdminConfigTest {
    @TempDir Path dir;

    private LoadedConfig load(String extra) throws ConfigError {
        return ConfigLoader.standard().load(write(dir, "jicofo.conf", VALID + extra + "\n"));
    }

    private static List<String> openAdminWarnings(LoadedConfig c) {
        return c.warnings().stream().filter(w -> w.contains("admin API")).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.1.2.3", "localhost", "LOCALHOST", "::1", "[::1]", "0:0:0:0:0:0:0:1"})
    void loopbackWithoutTokenIsAccepted(String host) throws Exception {
        LoadedConfig c = load("jicofo.rest.host = \"" + host + "\"");
        assertEquals(host, c.config().getString("jicofo.rest.host"));
        assertEquals(List.of(), openAdminWarnings(c));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "::", "10.0.0.5", "128.0.0.1", "127.0.0.256", "meet.example.com", "localhost.example.com", ""})
    void beyondLoopbackWithoutTokenIsRefusedNamingTheKeys(String host) {
        ConfigError e = assertThrows(ConfigError.class, () -> load("jicofo.rest.host = \"" + host + "\""));
        assertEquals("jicofo.rest.host", e.key());
        String m = e.getMessage();
        assertTrue(m.startsWith("jicofo.rest.host = '" + host + "'"), m);
        for (String key : List.of("focus.rest.token", "focus.rest.token-file", "focus.rest.allow-open-admin")) {
            assertTrue(m.contains(key), key + " not named: " + m);
        }
        assertTrue(m.contains("expected"), m);
        assertFalse(m.contains("\n"), "one line: " + m);
    }

    @Test
    void beyondLoopbackWithTokenIsAcceptedWithoutWarning() throws Exception {
        LoadedConfig c = load("jicofo.rest.host = \"0.0.0.0\"\nfocus.rest.token = \"t0ken\"");
        assertEquals("0.0.0.0", c.config().getString("jicofo.rest.host"));
        assertEquals(List.of(), openAdminWarnings(c));
    }

    @Test
    void beyondLoopbackWithTokenFileIsAccepted() throws Exception {
        Path token = write(dir, "token", "t0ken\n");
        LoadedConfig c = load("jicofo.rest.host = \"0.0.0.0\"\nfocus.rest.token-file = \"" + token + "\"");
        assertEquals(List.of(), openAdminWarnings(c));
    }

    @Test
    void beyondLoopbackWithAllowOpenAdminIsAcceptedAndWarnedOnce() throws Exception {
        LoadedConfig c = load("jicofo.rest.host = \"0.0.0.0\"\nfocus.rest.allow-open-admin = true");
        assertEquals("0.0.0.0", c.config().getString("jicofo.rest.host"));
        List<String> w = openAdminWarnings(c);
        assertEquals(1, w.size(), c.warnings().toString());
        assertTrue(w.get(0).contains("open to the network without a token"), w.get(0));
        assertTrue(w.get(0).contains("focus.rest.allow-open-admin = true"), w.get(0));
    }

    @Test
    void allowOpenAdminOnLoopbackIsNotWarned() throws Exception {
        assertEquals(List.of(), openAdminWarnings(load("focus.rest.allow-open-admin = true")));
    }

    @Test
    void disabledRestApiIsNotChecked() throws Exception {
        LoadedConfig c = load("jicofo.rest { enabled = false, host = \"0.0.0.0\" }");
        assertEquals(List.of(), openAdminWarnings(c));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "bad allow flag | focus.rest.allow-open-admin = sometimes | focus.rest.allow-open-admin = 'sometimes'",
            "host a list    | jicofo.rest.host = [a, b]               | jicofo.rest.host = '[a, b]'",
    })
    void badValuesNameTheKey(String name, String line, String expectedStart) {
        ConfigError e = assertThrows(ConfigError.class, () -> load(line));
        assertTrue(e.getMessage().startsWith(expectedStart.strip()), e.getMessage());
        assertTrue(e.getMessage().contains("expected"), e.getMessage());
    }
}
