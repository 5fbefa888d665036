package io.focus.app;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The unit, the launcher and the defaults file an operator installs. */
class OperationsFilesTest {
    static final Path ROOT = Path.of(System.getProperty("focus.checkout.dir", ".."));

    record Result(int code, String output) {}

    static Result exec(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out: " + cmd);
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void unitRunsAsJicofoWithAliasAndRestart() throws IOException {
        String unit = Files.readString(ROOT.resolve("etc/systemd/focus.service"));
        assertTrue(unit.contains("\nUser=jicofo\n") && unit.contains("\nGroup=jitsi\n"), unit);
        assertTrue(unit.contains("\nRestart=always\n"), unit);
        assertTrue(unit.contains("\nAlias=jicofo.service\n"), unit);
        assertTrue(unit.contains("\nEnvironmentFile=-/etc/default/focus\n"), unit);
        assertTrue(unit.contains("\nExecStart=/usr/bin/focus\n"), unit);
        // the saved conferences (focus.state.directory defaults to $STATE_DIRECTORY, which this sets)
        assertTrue(unit.contains("\nStateDirectory=focus\n"), unit);
    }

    /**
     * systemd-analyze verify on the unit. /usr/bin/focus is not installed on a build machine, so the copy that is
     * verified starts the checkout's launcher instead; everything else is the shipped unit.
     */
    @Test
    void systemdAnalyzeVerifiesTheUnit(@TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue(onPath("systemd-analyze"), "systemd-analyze not installed: unit not verified");
        String unit = Files.readString(ROOT.resolve("etc/systemd/focus.service"));
        String launcher = ROOT.resolve("bin/focus").toAbsolutePath().normalize().toString();
        Path copy = tmp.resolve("focus.service");
        Files.writeString(copy, unit.replace("ExecStart=/usr/bin/focus", "ExecStart=" + launcher));
        Result r = exec(List.of("systemd-analyze", "verify", copy.toString()));
        assertEquals(0, r.code(), r.output());
        assertFalse(r.output().contains("focus.service:"), "no warnings about the unit: " + r.output());
    }

    @Test
    void launcherIsValidBashAndHonoursTheOptions() throws Exception {
        Path launcher = ROOT.resolve("bin/focus");
        assertTrue(Files.isExecutable(launcher));
        assertEquals(0, exec(List.of("bash", "-n", launcher.toString())).code());
        String text = Files.readString(launcher);
        for (String s : List.of("JAVA_OPTS", "/usr/share/focus/lib", "focus-app/target/lib", "io.focus.app.Main")) {
            assertTrue(text.contains(s), s);
        }
    }

    @Test
    void defaultsFileSetsAHeapAndTheConfig() throws IOException {
        String d = Files.readString(ROOT.resolve("etc/default/focus"));
        assertTrue(d.contains("-Xmx"), d);
        assertTrue(d.contains("FOCUS_CONFIG=/etc/jitsi/jicofo/jicofo.conf"), d);
    }
}
