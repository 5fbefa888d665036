package io.focus.app.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * {@code %julLevel}: the level under the java.util.logging name Jicofo's log lines carry, so that an operator's
 * {@code grep SEVERE} or {@code grep WARNING} on {@code jicofo.log} keeps working: ERROR is SEVERE, WARN is
 * WARNING, INFO is INFO, DEBUG is FINE, TRACE is FINER.
 */
public final class JulLevelConverter extends ClassicConverter {
    @Override
    public String convert(ILoggingEvent event) {
        return julName(event.getLevel());
    }

    static String julName(Level level) {
        return switch (level.toInt()) {
            case Level.ERROR_INT -> "SEVERE";
            case Level.WARN_INT -> "WARNING";
            case Level.INFO_INT -> "INFO";
            case Level.DEBUG_INT -> "FINE";
            case Level.TRACE_INT -> "FINER";
            default -> level.toString();
        };
    }
}
