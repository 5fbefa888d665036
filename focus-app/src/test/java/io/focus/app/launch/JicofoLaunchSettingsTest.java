package io.focus.app.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JicofoLaunchSettingsTest {
    static final String ORIGIN = "/etc/jitsi/jicofo/config";

    static JicofoLaunchSettings from(Map<String, String> vars) {
        return JicofoLaunchSettings.from(vars, ORIGIN);
    }

    @Test
    void heapPropertiesAndArgumentsInJicofosOrder() {
        JicofoLaunchSettings s = from(Map.of("JICOFO_MAX_MEMORY", "3072m",
                "JAVA_SYS_PROPS", " -Da=1\n  -Dconfig.file=/x.conf ", "JICOFO_OPTS", "--config /y.conf"));
        assertEquals(List.of("-Xmx3072m", "-Da=1", "-Dconfig.file=/x.conf"), s.jvmOptions());
        assertEquals(List.of("--config", "/y.conf"), s.programArguments());
    }

    @Test
    void unsetOrBlankAddsNothing() {
        JicofoLaunchSettings s = from(Map.of("JICOFO_OPTS", "", "JAVA_SYS_PROPS", "  ", "JICOFO_HOSTNAME", "x"));
        assertEquals(List.of(), s.jvmOptions());
        assertEquals(List.of(), s.programArguments());
    }

    @Test
    void aHeapTheJvmWouldNotTakeIsRefused() {
        for (String bad : List.of("3 GB", "lots", "-1m", "$(echo 1g)")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> from(Map.of("JICOFO_MAX_MEMORY", bad)), bad);
            assertEquals("JICOFO_MAX_MEMORY = '" + bad + "' (" + ORIGIN
                    + "): expected a heap size as java -Xmx takes it, e.g. 3072m or 3g", e.getMessage());
        }
        assertEquals(List.of("-Xmx3g"), from(Map.of("JICOFO_MAX_MEMORY", "3g")).jvmOptions());
    }

    /** java would take the word for the main class: refused, with a hint when a shell expansion was meant. */
    @Test
    void aSystemPropertyWordThatIsNoOptionIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> from(Map.of("JAVA_SYS_PROPS", "$JAVA_SYS_PROPS -Dx=1")));
        assertTrue(e.getMessage().startsWith("JAVA_SYS_PROPS (" + ORIGIN + ") has '$JAVA_SYS_PROPS', which is not"),
                e.getMessage());
        assertTrue(e.getMessage().contains("not expanded"), e.getMessage());
        IllegalArgumentException plain = assertThrows(IllegalArgumentException.class,
                () -> from(Map.of("JAVA_SYS_PROPS", "-Dx=1 org.Main")));
        assertFalse(plain.getMessage().contains("expanded"), plain.getMessage());
    }

    @Test
    void oldJicofoOptionsNameTheirJicofoConfKeyNeverTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> from(Map.of("JICOFO_OPTS", "--user_password=hunter2")));
        assertTrue(e.getMessage().contains("jicofo.xmpp.client.password"), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        IllegalArgumentException domain = assertThrows(IllegalArgumentException.class,
                () -> from(Map.of("JICOFO_OPTS", "--domain=meet.example.com")));
        assertTrue(domain.getMessage().contains("jicofo.xmpp.client.xmpp-domain"), domain.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> from(Map.of("JICOFO_OPTS", "--verbose")));
        assertEquals("JICOFO_OPTS (" + ORIGIN + "): unknown argument: --verbose: expected focus's arguments"
                + " (--config FILE)", unknown.getMessage());
    }

    @Test
    void theToolPrintsOneLinePerItemOrExits2(@TempDir Path dir) throws Exception {
        Path good = Files.writeString(dir.resolve("good"), "JICOFO_MAX_MEMORY=2g\nJICOFO_OPTS='--config \t /a.conf'\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, LaunchSettingsTool.run(new String[] {good.toString()}, print(out), print(err)));
        // split on blanks, as the shell splits $JICOFO_OPTS
        assertEquals("J -Xmx2g\nA --config\nA /a.conf\n", out.toString(StandardCharsets.UTF_8));
        Path bad = Files.writeString(dir.resolve("bad"), "JICOFO_OPTS=\"--config\n");
        err.reset();
        assertEquals(2, LaunchSettingsTool.run(new String[] {bad.toString()}, print(out), print(err)));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("focus: cannot read " + bad + ": JICOFO_OPTS"),
                err.toString(StandardCharsets.UTF_8));
        err.reset();
        assertEquals(2, LaunchSettingsTool.run(new String[] {dir.resolve("absent").toString()}, print(out),
                print(err)));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("not readable"), err.toString());
    }

    static PrintStream print(ByteArrayOutputStream b) {
        return new PrintStream(b, true, StandardCharsets.UTF_8);
    }
}
