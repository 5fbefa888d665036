package io.focus.sim.participant;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a {@link SimParticipant} does when its connection drops while it is in a room, once enabled: it waits, logs
 * in again on the same connection object (a new session; a guest gets a new JID), retrying every 100 ms for up to
 * 60 s while the server is away, asks the focus for the conference until it is ready (as lib-jitsi-meet does before
 * it joins), and joins the room again under the same endpoint id. Each step is a task on a scheduled thread of its
 * own; the waits between tries are scheduled, not slept.
 */
final class Rejoiner {
    private static final Logger log = LoggerFactory.getLogger(Rejoiner.class);
    static final Duration GIVE_UP = Duration.ofSeconds(60);
    private static final Duration LOGIN_RETRY = Duration.ofMillis(100);
    private static final Duration READY_RETRY = Duration.ofMillis(200);

    private final SimParticipant participant;
    private final AtomicInteger count = new AtomicInteger();
    private volatile String focusJid;
    private volatile Duration delay;
    private volatile boolean closed;
    private ScheduledExecutorService thread;

    Rejoiner(SimParticipant participant) {
        this.participant = participant;
    }

    void enable(String focusJid, Duration delay) {
        this.delay = delay;
        this.focusJid = focusJid;
    }

    boolean enabled() { return focusJid != null && !closed; }

    int count() { return count.get(); }

    synchronized void connectionLost(String room, Exception e) {
        if (!enabled()) {
            return;
        }
        log.info("Sim participant {}: connection lost ({}); rejoining {} in {} ms", participant.endpointId(),
                e.toString(), room, delay.toMillis());
        if (thread == null) {
            thread = Executors.newSingleThreadScheduledExecutor(run -> {
                Thread t = new Thread(run, "sim-rejoin-" + participant.endpointId());
                t.setDaemon(true);
                return t;
            });
        }
        String focus = focusJid;
        later(new Attempt(room, focus)::login, delay);
    }

    /** One rejoin, as steps on the rejoin thread: log in, ask the focus until it is ready, join. */
    private final class Attempt {
        private final String room;
        private final String focus;
        private final XMPPTCPConnection connection = participant.connection();
        private final long deadline = System.nanoTime() + GIVE_UP.toNanos();

        Attempt(String room, String focus) {
            this.room = room;
            this.focus = focus;
        }

        /** Logs in again; while the server is away, tries again every {@link #LOGIN_RETRY}. */
        void login() {
            step(() -> {
                if (!connection.isAuthenticated()) {
                    try {
                        if (!connection.isConnected()) {
                            connection.connect();
                        }
                        connection.login();
                    } catch (Exception e) {
                        if (pastDeadline()) {
                            throw e;
                        }
                        if (connection.isConnected()) {
                            connection.disconnect();
                        }
                        later(this::login, LOGIN_RETRY);
                        return;
                    }
                }
                requestConference();
            });
        }

        /** Asks the focus for the conference until it is ready, every {@link #READY_RETRY}. */
        void requestConference() {
            step(() -> {
                FocusReply reply = participant.requestConference(focus, room, Map.of(), Duration.ofSeconds(5));
                if (reply.isResult() && reply.ready()) {
                    join();
                } else if (pastDeadline()) {
                    throw new IllegalStateException("the focus never said ready: " + reply);
                } else {
                    later(this::requestConference, READY_RETRY);
                }
            });
        }

        private void join() throws Exception {
            participant.join(room);
            count.incrementAndGet();
            log.info("Sim participant {}: back in {} as {}", participant.endpointId(), room, connection.getUser());
        }

        private boolean pastDeadline() {
            return System.nanoTime() > deadline;
        }

        /** Runs a step unless closed; a step that fails ends the attempt, logged. */
        private void step(Step s) {
            if (closed) {
                return;
            }
            try {
                s.run();
            } catch (Exception e) {
                log.warn("Sim participant {}: could not rejoin {}: {}", participant.endpointId(), room, e.toString());
            }
        }
    }

    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }

    private synchronized void later(Runnable step, Duration after) {
        if (!closed) {
            thread.schedule(step, after.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    synchronized void close() {
        closed = true;
        if (thread != null) {
            thread.shutdownNow();
        }
    }
}
