package io.focus.app.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.status.Status;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service's logging config as shipped ({@code etc/logback-service.xml}, installed as
 * {@code /etc/jitsi/jicofo/focus-logback.xml}) writes {@code jicofo.log} in Jicofo's line format, and the checkout's
 * {@code etc/logback.xml} writes no file.
 */
class JicofoLogFormatTest {
    static final Path ROOT = Path.of(System.getProperty("focus.checkout.dir", ".."));

    /**
     * What a script parsing Jicofo's log expects of a line: program, date, time, JUL level, [thread id],
     * Class.method#line, message. The sample is a line of a real Jicofo's log (posted in a public issue).
     */
    static final Pattern JICOFO_LINE = Pattern.compile(
            "^Jicofo (\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3}) (SEVERE|WARNING|INFO|FINE|FINER|FINEST): "
                    + "\\[(\\d+)\\] ([A-Za-z0-9_$]+)\\.([A-Za-z0-9_$<>]+)#(\\d+): (.*)$");
    static final String REAL_JICOFO_LINE = "Jicofo 2024-06-03 07:54:14.463 INFO: [22] "
            + "ConferenceIqHandler.handleConferenceIq#86: Conference request for room test3@conference.jitsi.su.sd";

    @Test
    void thePatternIsAJicofoLineParser() {
        assertTrue(JICOFO_LINE.matcher(REAL_JICOFO_LINE).matches());
        assertFalse(JICOFO_LINE.matcher("2024-06-03 07:54:14.463 INFO  [main] Foo: bar").matches());
    }

    @Test
    void serviceConfigWritesJicofoLinesToTheLogFile(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("jicofo.log");
        LoggerContext ctx = configure(ROOT.resolve("etc/logback-service.xml"), file);
        Logger log = ctx.getLogger("io.focus.health.BridgeRegistry");
        long tid = Thread.currentThread().getId();

        int infoLine = new Throwable().getStackTrace()[0].getLineNumber() + 1;
        log.info("Added bridge jvb1 (jvbbrewery@internal.auth.meet.test/jvb1)");
        log.warn("jvb1 missed a health check");
        log.error("jvb1 failed", new IllegalStateException("boom"));
        log.debug("not written: io.focus logs at INFO");
        assertNoProblems(ctx);
        ctx.stop();

        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        Matcher info = JICOFO_LINE.matcher(lines.get(0));
        assertTrue(info.matches(), lines.get(0));
        assertEquals("INFO", info.group(2));
        assertEquals(Long.toString(tid), info.group(3));
        assertEquals(getClass().getSimpleName(), info.group(4));
        assertEquals("serviceConfigWritesJicofoLinesToTheLogFile", info.group(5));
        assertEquals(Integer.toString(infoLine), info.group(6));
        assertEquals("Added bridge jvb1 (jvbbrewery@internal.auth.meet.test/jvb1)", info.group(7));

        Matcher warn = JICOFO_LINE.matcher(lines.get(1));
        assertTrue(warn.matches(), lines.get(1));
        assertEquals("WARNING", warn.group(2));
        Matcher severe = JICOFO_LINE.matcher(lines.get(2));
        assertTrue(severe.matches(), lines.get(2));
        assertEquals("SEVERE", severe.group(2));
        // the stack trace follows its line, as in Jicofo's log
        assertEquals("java.lang.IllegalStateException: boom", lines.get(3));
        assertTrue(lines.get(4).strip().startsWith("at " + getClass().getName()), lines.get(4));
        assertTrue(lines.stream().noneMatch(l -> l.contains("not written")), String.join("\n", lines));
    }

    @Test
    void levelsCarryJavaUtilLoggingNames() {
        assertEquals("SEVERE", JulLevelConverter.julName(Level.ERROR));
        assertEquals("WARNING", JulLevelConverter.julName(Level.WARN));
        assertEquals("INFO", JulLevelConverter.julName(Level.INFO));
        assertEquals("FINE", JulLevelConverter.julName(Level.DEBUG));
        assertEquals("FINER", JulLevelConverter.julName(Level.TRACE));
    }

    /** An event converted on another thread than the one that logged (an AsyncAppender) shows its name, no id. */
    @Test
    void threadIdOnlyForTheLoggingThread() {
        LoggingEvent here = new LoggingEvent();
        here.setThreadName(Thread.currentThread().getName());
        assertEquals(Long.toString(Thread.currentThread().getId()), new ThreadIdConverter().convert(here));
        LoggingEvent elsewhere = new LoggingEvent();
        elsewhere.setThreadName("bridge-events-7");
        assertEquals("bridge-events-7", new ThreadIdConverter().convert(elsewhere));
    }

    /** From a checkout: the console only, no file. */
    @Test
    void checkoutConfigWritesNoFile() throws Exception {
        String xml = Files.readString(ROOT.resolve("etc/logback.xml"));
        assertFalse(xml.contains("FileAppender"), xml);
        assertTrue(xml.contains("ConsoleAppender"), xml);
    }

    static LoggerContext configure(Path xml, Path logFile) throws Exception {
        LoggerContext ctx = new LoggerContext();
        ctx.setMDCAdapter(new LogbackMDCAdapter());
        ctx.putProperty("focus.log.file", logFile.toString());
        JoranConfigurator c = new JoranConfigurator();
        c.setContext(ctx);
        c.doConfigure(xml.toFile());
        ctx.start();
        assertNoProblems(ctx);
        return ctx;
    }

    static void assertNoProblems(LoggerContext ctx) {
        List<Status> problems = ctx.getStatusManager().getCopyOfStatusList().stream()
                .filter(s -> s.getEffectiveLevel() >= Status.WARN).toList();
        assertTrue(problems.isEmpty(), "logback reported: " + problems);
    }
}
