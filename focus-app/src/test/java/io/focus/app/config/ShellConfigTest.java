package io.focus.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Jicofo's shell-style config read as the shell reads its words, without running anything. */
class ShellConfigTest {
    static Map<String, String> parse(String text) {
        return ShellConfig.parse(text.lines().toList());
    }

    @Test
    void quotedValuesSpanLinesAndBackslashNewlineJoinsThem() {
        Map<String, String> v = parse("""
                A="-Da=1
                 -Db=2"
                B=-Dc=3\\
                -Dd=4
                C='x
                y'
                D=after
                """);
        assertEquals("-Da=1\n -Db=2", v.get("A"));
        assertEquals("-Dc=3-Dd=4", v.get("B"));
        assertEquals("x\ny", v.get("C"));
        assertEquals("after", v.get("D"));
    }

    @Test
    void quotingJoinsAndEscapesAsInTheShell() {
        Map<String, String> v = parse("""
                A="a"'b'c
                B="say \\"hi\\" \\$HOME \\n"
                C=one\\ two
                D='$(kept) `kept` $KEPT'
                E="${ALSO_KEPT}"
                """);
        assertEquals("abc", v.get("A"));
        assertEquals("say \"hi\" $HOME \\n", v.get("B"));
        assertEquals("one two", v.get("C"));
        assertEquals("$(kept) `kept` $KEPT", v.get("D"));
        assertEquals("${ALSO_KEPT}", v.get("E"));
    }

    @Test
    void lastAssignmentWinsAndCommandsAreSkipped() {
        Map<String, String> v = parse("""
                JICOFO_MAX_MEMORY=1g
                if [ -f /x ]; then
                  echo hi
                fi
                JICOFO_MAX_MEMORY=3g   # comment
                """);
        assertEquals(Map.of("JICOFO_MAX_MEMORY", "3g"), v);
    }

    @Test
    void whatTheShellWouldReadDifferentlyIsAnErrorNamingKeyAndLine() {
        IllegalArgumentException blank = assertThrows(IllegalArgumentException.class,
                () -> parse("# c\nJAVA_SYS_PROPS=-Da=1 -Db=2\n"));
        assertTrue(blank.getMessage().startsWith("JAVA_SYS_PROPS (line 2):"), blank.getMessage());
        assertTrue(blank.getMessage().contains("'-Db=2'"), blank.getMessage());
        IllegalArgumentException open = assertThrows(IllegalArgumentException.class,
                () -> parse("A=1\nJICOFO_OPTS=\"--config x\nB=2\n"));
        assertTrue(open.getMessage().startsWith("JICOFO_OPTS (line 2): the \" quote is never closed"),
                open.getMessage());
    }

    @Test
    void readsTheTestDataFileOfTheLauncher() throws Exception {
        Map<String, String> v = ShellConfig.read(
                java.nio.file.Path.of(getClass().getResource("/launcher/config").toURI()));
        assertEquals("3072m", v.get("JICOFO_MAX_MEMORY"));
        assertEquals("pAss w0rd", v.get("JICOFO_AUTH_PASSWORD"));
        assertEquals("--config /etc/jitsi/jicofo/jicofo.conf", v.get("JICOFO_OPTS"));
        assertTrue(v.get("JAVA_SYS_PROPS").endsWith(".properties  -Dconfig.file=/etc/jitsi/jicofo/jicofo.conf"),
                v.get("JAVA_SYS_PROPS"));
        assertEquals(List.of("JICOFO_HOSTNAME", "JICOFO_AUTH_DOMAIN", "JICOFO_AUTH_USER", "JICOFO_AUTH_PASSWORD",
                "JAVA_SYS_PROPS", "JICOFO_MAX_MEMORY", "JICOFO_OPTS"), List.copyOf(v.keySet()));
    }
}
