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

    /**
     * The shipped logging: Smack's per-presence parse warnings (a stack trace each, and anyone can send the focus
     * such presences: XmppFuzzE2ETest got 80 in one run) are off; the focus's own rate-limited lines are on.
     */
    @Test
    void shippedLoggingKeepsHostilePresencesFromFloodingTheLog() throws Exception {
        ch.qos.logback.classic.LoggerContext ctx = new ch.qos.logback.classic.LoggerContext();
        ch.qos.logback.classic.joran.JoranConfigurator conf = new ch.qos.logback.classic.joran.JoranConfigurator();
        conf.setContext(ctx);
        conf.doConfigure(ROOT.resolve("etc/logback.xml").toFile());
        assertFalse(ctx.getLogger("org.jivesoftware.smack.util.PacketParserUtils")
                .isEnabledFor(ch.qos.logback.classic.Level.WARN));
        assertTrue(ctx.getLogger("org.jivesoftware.smack.AbstractXMPPConnection")
                .isEnabledFor(ch.qos.logback.classic.Level.WARN), "the rest of Smack still warns");
        assertTrue(ctx.getLogger("io.focus.core.xmpp.StanzaHygiene").isEnabledFor(ch.qos.logback.classic.Level.WARN));
        ctx.stop();
    }

    /**
     * Named jicofo.service: journalctl -u matches the unit's real name, never an alias, so only this name makes
     * {@code journalctl -u jicofo} show the focus; {@code focus.service} is the alias.
     */
    @Test
    void unitIsJicofoServiceRunAsJicofoWithAliasAndRestart() throws IOException {
        assertFalse(Files.exists(ROOT.resolve("etc/systemd/focus.service")));
        String unit = Files.readString(ROOT.resolve("etc/systemd/jicofo.service"));
        assertTrue(unit.contains("\nUser=jicofo\n") && unit.contains("\nGroup=jitsi\n"), unit);
        assertTrue(unit.contains("\nRestart=always\n"), unit);
        assertTrue(unit.contains("\nAlias=focus.service\n"), unit);
        assertTrue(unit.contains("\nSyslogIdentifier=jicofo\n"), unit);
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
        String unit = Files.readString(ROOT.resolve("etc/systemd/jicofo.service"));
        String launcher = ROOT.resolve("bin/focus").toAbsolutePath().normalize().toString();
        Path copy = tmp.resolve("jicofo.service");
        Files.writeString(copy, unit.replace("ExecStart=/usr/bin/focus", "ExecStart=" + launcher));
        Result r = exec(List.of("systemd-analyze", "verify", copy.toString()));
        assertEquals(0, r.code(), r.output());
        assertFalse(r.output().contains("jicofo.service:"), "no warnings about the unit: " + r.output());
    }

    /** Jicofo's rotation, for the file the service's logging config writes. */
    @Test
    void logrotateRotatesTheLogFileTheServiceWrites() throws IOException {
        String rotate = Files.readString(ROOT.resolve("etc/logrotate/jicofo"));
        String logback = Files.readString(ROOT.resolve("etc/logback-service.xml"));
        assertTrue(logback.contains("${focus.log.file:-/var/log/jitsi/jicofo.log}"), logback);
        assertTrue(rotate.contains("\n/var/log/jitsi/jicofo.log {\n"), rotate);
        for (String d : List.of("weekly", "rotate 5", "compress", "copytruncate", "su jicofo jitsi")) {
            assertTrue(rotate.contains("\n    " + d + "\n"), d);
        }
    }

    /**
     * logrotate's own parser (debug mode: reads, changes nothing). The user jicofo exists only once the package is
     * installed, so the copy that is parsed switches to root instead; the su line itself is checked above.
     */
    @Test
    void logrotateAcceptsTheFile(@TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue(onPath("logrotate") || Files.isExecutable(Path.of("/usr/sbin/logrotate")),
                "logrotate not installed: its file was not parsed");
        String bin = onPath("logrotate") ? "logrotate" : "/usr/sbin/logrotate";
        Path copy = tmp.resolve("jicofo");
        Files.writeString(copy, Files.readString(ROOT.resolve("etc/logrotate/jicofo"))
                .replace("su jicofo jitsi", "su root root"));
        Result r = exec(List.of(bin, "-d", "-s", tmp.resolve("state").toString(), copy.toString()));
        assertEquals(0, r.code(), r.output());
        assertTrue(r.output().contains("/var/log/jitsi/jicofo.log"), r.output());
        assertFalse(r.output().contains("error"), r.output());
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

    /**
     * The heap's default is the launcher's (one place), so that JICOFO_MAX_MEMORY of Jicofo's config is not
     * overridden by a value the operator never set; the config file is left to -Dconfig.file / the default.
     */
    @Test
    void defaultsFileLeavesHeapAndConfigFileToLauncherAndJicofosConfig() throws IOException {
        List<String> set = Files.readAllLines(ROOT.resolve("etc/default/focus")).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        assertTrue(set.stream().noneMatch(l -> l.contains("-Xmx") || l.contains("-Xms")), set.toString());
        assertTrue(set.stream().noneMatch(l -> l.startsWith("FOCUS_CONFIG=")), set.toString());
        assertTrue(set.contains("FOCUS_LOGBACK=/etc/jitsi/jicofo/focus-logback.xml"), set.toString());
        assertTrue(Files.readString(ROOT.resolve("bin/focus")).contains("defaults=(-Xmx1g)"));
    }
}
