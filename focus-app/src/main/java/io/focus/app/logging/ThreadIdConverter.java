package io.focus.app.logging;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * {@code %tid}: the numeric id of the thread that logged, as Jicofo's lines show it ({@code [29]}). Logback
 * records only the thread's name, so the id is read from the current thread, which is the logging thread for a
 * synchronous appender (the file and console appenders of the shipped config). Behind an AsyncAppender the
 * current thread is another one: then the thread's name is written instead, never a wrong id.
 */
public final class ThreadIdConverter extends ClassicConverter {
    @Override
    public String convert(ILoggingEvent event) {
        Thread current = Thread.currentThread();
        if (current.getName().equals(event.getThreadName())) {
            return Long.toString(current.getId());
        }
        return event.getThreadName();
    }
}
