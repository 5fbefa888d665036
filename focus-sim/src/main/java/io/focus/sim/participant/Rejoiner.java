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
 * it joins), and joins the room again under the same endpoint id. On a thread of its own.
 */
final class Rejoiner {
    private static final Logger log = LoggerFactory.getLogger(Rejoiner.class);
    static final Duration GIVE_UP = Duration.ofSeconds(60);

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
        thread.schedule(() -> rejoin(room, focus), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void rejoin(String room, String focus) {
        XMPPTCPConnection connection = participant.connection();
        long deadline = System.nanoTime() + GIVE_UP.toNanos();
        try {
            while (!closed && !connection.isAuthenticated()) {
                try {
                    if (!connection.isConnected()) {
                        connection.connect();
                    }
                    connection.login();
                } catch (Exception e) {
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                    if (connection.isConnected()) {
                        connection.disconnect();
                    }
                    Thread.sleep(100);
                }
            }
            while (!closed) {
                FocusReply reply = participant.requestConference(focus, room, Map.of(), Duration.ofSeconds(5));
                if (reply.isResult() && reply.ready()) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the focus never said ready: " + reply);
                }
                Thread.sleep(200);
            }
            if (!closed) {
                participant.join(room);
                count.incrementAndGet();
                log.info("Sim participant {}: back in {} as {}", participant.endpointId(), room,
                        connection.getUser());
            }
        } catch (Exception e) {
            log.warn("Sim participant {}: could not rejoin {}: {}", participant.endpointId(), room, e.toString());
        }
    }

    synchronized void close() {
        closed = true;
        if (thread != null) {
            thread.shutdownNow();
        }
    }
}
