package io.focus.app.inject;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts every {@link Managed} in order; stops the started ones in reverse, once. */
@Singleton
public final class FocusLifecycle {
    private static final Logger log = LoggerFactory.getLogger(FocusLifecycle.class);

    private final List<Managed> services;
    private final Deque<Managed> started = new ArrayDeque<>();
    private boolean stopped;

    @Inject
    public FocusLifecycle(Set<Managed> services) {
        this.services = new ArrayList<>(services);
    }

    /** On failure, what was started is stopped again and the exception is thrown. */
    public synchronized void start() throws Exception {
        for (Managed m : services) {
            try {
                m.start();
                started.push(m);
                log.info("Started {}", m.name());
            } catch (Exception e) {
                log.error("Failed to start {}: {}", m.name(), e.toString());
                stop();
                throw e;
            }
        }
    }

    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        while (!started.isEmpty()) {
            Managed m = started.pop();
            try {
                m.stop();
                log.info("Stopped {}", m.name());
            } catch (RuntimeException e) {
                log.warn("Stopping {} failed", m.name(), e);
            }
        }
    }
}
