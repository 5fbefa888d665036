package io.focus.app.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focus.app.testing.TestFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/focus} from the checkout (after {@code package}) builds the java command line from Jicofo's shell-style
 * {@code /etc/jitsi/jicofo/config} ({@code FOCUS_SHELL_CONFIG} points it at a test copy) as Jicofo's init script
 * does, but reads the file instead of running it. {@code FOCUS_PRINT_COMMAND=1} shows the command it would run.
 */
class LauncherE2ETest {
    @TempDir
    Path dir;

    record Run(int code, List<String> out, String err) {}

    static Path root() throws IOException {
        return Path.of(System.getProperty("focus.checkout.dir", "..")).toRealPath();
    }

    Run launcher(Path cwd, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(root().resolve("bin/focus").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("FOCUS_") || k.equals("JAVA_OPTS"));
        pb.environment().putAll(env);
        pb.redirectError(dir.resolve("stderr").toFile());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "launcher timed out");
        return new Run(p.exitValue(), out.lines().toList(), Files.readString(dir.resolve("stderr")));
    }

    @Test
    void jicofoShellConfigBecomesTheCommandLineAndFocusSettingsComeLast() throws Exception {
        Path config = Files.copy(Path.of(getClass().getResource("/launcher/config").toURI()), dir.resolve("config"));
        Run r = launcher(dir, Map.of("FOCUS_SHELL_CONFIG", config.toString(), "FOCUS_PRINT_COMMAND", "1",
                "JAVA_OPTS", "-XX:+UseG1GC -Xmx2g"), "--check-config");
        assertEquals(0, r.code(), r.err());
        Path root = root();
        List<String> expected = List.of(
                // the launcher's defaults
                "-Xmx1g", "-Dlogback.configurationFile=" + root.resolve("etc/logback.xml"),
                // /etc/jitsi/jicofo/config: JICOFO_MAX_MEMORY, then the words of JAVA_SYS_PROPS (two lines joined)
                "-Xmx3072m",
                "-Dnet.java.sip.communicator.SC_HOME_DIR_LOCATION=/etc/jitsi",
                "-Dnet.java.sip.communicator.SC_HOME_DIR_NAME=jicofo",
                "-Dnet.java.sip.communicator.SC_LOG_DIR_LOCATION=/var/log/jitsi",
                "-Djava.util.logging.config.file=/etc/jitsi/jicofo/logging.properties",
                "-Dconfig.file=/etc/jitsi/jicofo/jicofo.conf",
                // JAVA_OPTS (/etc/default/focus) after them: its -Xmx wins
                "-XX:+UseG1GC", "-Xmx2g",
                "-cp", root.resolve("focus-app/target") + "/focus-app-",
                "io.focus.app.Main",
                // JICOFO_OPTS, then the launcher's own arguments
                "--config", "/etc/jitsi/jicofo/jicofo.conf", "--check-config");
        List<String> got = new ArrayList<>(r.out().subList(1, r.out().size()));
        int cp = got.indexOf("-cp") + 1;
        assertTrue(cp > 0 && got.get(cp).startsWith(expected.get(cp)), String.join("\n", r.out()));
        got.set(cp, expected.get(cp));
        assertEquals(expected, got);
    }

    @Test
    void fromACheckoutWithoutJicofoConfigTheHeapStillHasADefault() throws Exception {
        Run r = launcher(dir, Map.of("FOCUS_SHELL_CONFIG", dir.resolve("absent").toString(),
                "FOCUS_PRINT_COMMAND", "1"), "--version");
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of("-Xmx1g", "-Dlogback.configurationFile=" + root().resolve("etc/logback.xml"), "-cp"),
                r.out().subList(1, 4));
        assertEquals(List.of("io.focus.app.Main", "--version"), r.out().subList(5, 7));
    }

    /**
     * Command substitutions and backticks stay text: the same file sourced by bash (as Jicofo's init script does)
     * runs all three; read by the launcher, none.
     */
    @Test
    void nothingInTheFileRuns() throws Exception {
        String text = """
                JAVA_SYS_PROPS="-Da=$(touch${IFS}ran-1) -Db=`touch${IFS}ran-2`"
                JICOFO_OPTS=--config=$(touch${IFS}ran-3)
                """;
        Path config = TestFiles.write(dir, "config", text);
        Path sourced = Files.createDirectories(dir.resolve("sourced"));
        Process p = new ProcessBuilder("bash", "-c", ". " + config).directory(sourced.toFile()).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        for (String m : List.of("ran-1", "ran-2", "ran-3")) {
            assertTrue(Files.exists(sourced.resolve(m)), "the control: sourcing the file runs " + m);
        }

        Path read = Files.createDirectories(dir.resolve("read"));
        Run r = launcher(read, Map.of("FOCUS_SHELL_CONFIG", config.toString(), "FOCUS_PRINT_COMMAND", "1"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("-Da=$(touch${IFS}ran-1)"), String.join("\n", r.out()));
        assertTrue(r.out().contains("-Db=`touch${IFS}ran-2`"), String.join("\n", r.out()));
        assertTrue(r.out().contains("--config=$(touch${IFS}ran-3)"), String.join("\n", r.out()));
        try (var files = Files.list(read)) {
            assertEquals(List.of(), files.toList());
        }
    }

    @Test
    void aValueTheFocusCannotUseStopsWithExitCode2NamingIt() throws Exception {
        Path config = TestFiles.write(dir, "config", "JICOFO_OPTS=\"--host=localhost --user_password=hunter2\"\n");
        Run r = launcher(dir, Map.of("FOCUS_SHELL_CONFIG", config.toString()), "--version");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("JICOFO_OPTS (" + config + ") has --host=..."), r.err());
        assertTrue(r.err().contains("jicofo.xmpp.client.hostname"), r.err());
        assertFalse(r.err().contains("hunter2"), r.err());
        assertTrue(r.out().isEmpty(), "the focus did not start: " + r.out());
    }

    /**
     * For real: the JVM gets JICOFO_MAX_MEMORY as its heap, and the focus reads the jicofo.conf that
     * {@code -Dconfig.file} in JAVA_SYS_PROPS names, as Jicofo does.
     */
    @Test
    void theDaemonGetsTheHeapAndTheConfigFileOfJicofosConfig() throws Exception {
        Path conf = TestFiles.write(dir, "jicofo.conf", TestFiles.VALID);
        Path config = TestFiles.write(dir, "config", "JICOFO_MAX_MEMORY=200m\n"
                + "JAVA_SYS_PROPS=\"-XX:+PrintCommandLineFlags -Dconfig.file=" + conf + "\"\n");
        Run r = launcher(dir, Map.of("FOCUS_SHELL_CONFIG", config.toString()), "--check-config");
        assertEquals(0, r.code(), r.err());
        String out = String.join("\n", r.out());
        assertTrue(out.contains("-XX:MaxHeapSize=" + 200L * 1024 * 1024 + " "), out);
        assertTrue(out.contains("# configuration OK: " + conf), out);
    }
}
