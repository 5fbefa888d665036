package io.focus.app;

import static io.focus.app.testing.TestFiles.VALID;
import static io.focus.app.testing.TestFiles.write;
import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    @TempDir Path dir;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int run(Map<String, String> env, String... args) {
        return Main.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    String out() { return out.toString(StandardCharsets.UTF_8); }
    String err() { return err.toString(StandardCharsets.UTF_8); }

    @Test
    void checkConfigPrintsEffectiveSettingsWithSecretsMasked() {
        Path f = write(dir, "jicofo.conf", VALID);
        assertEquals(0, run(Map.of(), "--check-config", "--config", f.toString()), err());
        assertTrue(out().contains("configuration OK: " + f), out());
        assertTrue(out().contains("JvbBrewery@internal.auth.meet.test"), out());
        assertFalse(out().contains("s3cret-focus"), out());
    }

    @Test
    void checkConfigFindsTheFileThroughFocusConfig() {
        Path f = write(dir, "jicofo.conf", VALID);
        assertEquals(0, run(Map.of("FOCUS_CONFIG", f.toString()), "--check-config"), err());
    }

    @Test
    void badConfigExitsTwoWithOneLineNamingTheKey() {
        Path f = write(dir, "jicofo.conf", VALID + "jicofo.bridge.health-checks.interval = 3 fortnights\n");
        assertEquals(Main.EXIT_CONFIG, run(Map.of(), "--check-config", "--config", f.toString()));
        assertEquals(1, err().lines().count(), err());
        assertTrue(err().startsWith("focus: invalid configuration: jicofo.bridge.health-checks.interval = '3 fortnights'"), err());
    }

    @Test
    void openAdminApiWithoutTokenExitsTwoNamingTheKeys() {
        Path f = write(dir, "jicofo.conf", VALID + "jicofo.rest.host = \"0.0.0.0\"\n");
        assertEquals(Main.EXIT_CONFIG, run(Map.of(), "--check-config", "--config", f.toString()));
        assertEquals(1, err().lines().count(), err());
        assertTrue(err().startsWith("focus: invalid configuration: jicofo.rest.host = '0.0.0.0'"), err());
        assertTrue(err().contains("focus.rest.token or focus.rest.token-file"), err());
        assertTrue(err().contains("focus.rest.allow-open-admin = true"), err());
    }

    @Test
    void openAdminApiAllowedOnPurposeIsAcceptedWithOneWarning() {
        Path f = write(dir, "jicofo.conf", VALID + "jicofo.rest.host = \"0.0.0.0\"\nfocus.rest.allow-open-admin = true\n");
        assertEquals(0, run(Map.of(), "--check-config", "--config", f.toString()), err());
        // (the test JVM's own -Dfocus.shared.dir and -Dfocus.checkout.dir are warned about as unknown keys too)
        assertEquals(1, out().lines().filter(l -> l.startsWith("# warning: the admin API")).count(), out());
        assertTrue(out().contains("# warning: the admin API on jicofo.rest.host = '0.0.0.0' is open to the network without a token"), out());
    }

    @Test
    void missingFileAndBadUsageExitTwo() {
        assertEquals(Main.EXIT_CONFIG, run(Map.of(), "--check-config", "--config", dir.resolve("none.conf").toString()));
        assertTrue(err().contains("none.conf is missing"), err());
        assertEquals(Main.EXIT_CONFIG, run(Map.of(), "--frobnicate"));
    }

    /** The shipped sample is valid HOCON whose only gaps are the REQUIRED keys. */
    @Test
    void sampleConfigNeedsOnlyTheRequiredKeys() throws Exception {
        Path sample = Path.of(System.getProperty("focus.checkout.dir", ".."), "etc", "jicofo.conf.sample");
        String text = Files.readString(sample);
        Path f = write(dir, "jicofo.conf", text);
        assertEquals(Main.EXIT_CONFIG, run(Map.of(), "--check-config", "--config", f.toString()));
        assertTrue(err().contains("jicofo.bridge.brewery-jid is not set"), err());

        Path filled = write(dir, "filled.conf", text + """
                jicofo.bridge.brewery-jid = "JvbBrewery@internal.auth.meet.test"
                jicofo.xmpp.client { xmpp-domain = "meet.test", password = "pw" }
                """);
        assertEquals(0, run(Map.of(), "--check-config", "--config", filled.toString()), err());
    }

    @Test
    void checkConfigAcceptsVisitorSelectionStrategyAndPrintsTheFallback() {
        Path f = write(dir, "jicofo.conf", VALID + "jicofo.bridge.selection-strategy = VisitorSelectionStrategy\n");
        assertEquals(0, run(Map.of(), "--check-config", "--config", f.toString()), err());
        assertTrue(out().contains("# warning: jicofo.bridge.selection-strategy = VisitorSelectionStrategy: the focus has "
                + "no visitors, so it selects bridges for every participant with SingleBridgeSelectionStrategy"), out());
    }

    @Test
    void checkConfigPrintsUnknownKeysWithASuggestion() {
        Path f = write(dir, "jicofo.conf", VALID + "jicofo.bridge.helth-checks.interval = 5 seconds\n");
        assertEquals(0, run(Map.of(), "--check-config", "--config", f.toString()), err());
        assertTrue(out().lines().anyMatch(l -> l.startsWith("# warning: jicofo.bridge.helth-checks (")
                && l.endsWith("did you mean jicofo.bridge.health-checks?")), out());
    }
}
