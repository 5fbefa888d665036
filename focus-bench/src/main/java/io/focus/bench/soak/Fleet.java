package io.focus.bench.soak;

import io.focus.sim.bridge.SimBridge;
import io.focus.sim.bridge.SimBridgeOptions;
import io.focus.sim.prosody.ProsodyServer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The simulated bridges of a soak run: the ones running now (hung ones included: they are connected), which of them
 * carries a fault the chaos injected and has not undone (and since when), and which were ever hung (a hung bridge
 * that comes back still holds whatever the focus could not expire on it while it was deaf). Bridges are named
 * {@code b1, b2, ...}; a replacement gets the next number. Each bridge has stream management on or off by a seeded
 * coin, so a crash is sometimes {@link SimBridge#crash()} (session ends at once) and sometimes {@link SimBridge#kill()}
 * (session hibernates in Prosody); the coin depends on the seed and the bridge's number only. Stress grows with the
 * bridge's endpoints (0.002 each), so least-loaded bridges get the moved participants.
 */
final class Fleet implements AutoCloseable {
    static final double STRESS_PER_ENDPOINT = 0.002;

    /** A fault the chaos injected and has not undone, and when it was injected ({@link System#nanoTime()}). */
    record Fault(String what, long since) {}

    private final ProsodyServer server;
    private final long seed;
    private final Map<String, SimBridge> running = new LinkedHashMap<>();
    private final Map<String, Fault> faults = new ConcurrentHashMap<>();
    private final Set<String> everHung = ConcurrentHashMap.newKeySet();
    private final Set<String> everFaulted = ConcurrentHashMap.newKeySet();
    private final Set<String> withStreamManagement = ConcurrentHashMap.newKeySet();
    /** Every fault injected, in order, with its wall-clock time (the focus's log is read against it). */
    private final List<Detection.Fault> injected = new java.util.concurrent.CopyOnWriteArrayList<>();
    private int serial;
    private int replacements;

    Fleet(ProsodyServer server, long seed) {
        this.server = server;
        this.seed = seed;
    }

    /** Starts one more bridge; returns once it is in the brewery. */
    SimBridge add() {
        String nick;
        boolean sm;
        synchronized (this) {
            nick = "b" + (++serial);
            // by seed and number, so b1, b2, ... have the same setting on every run with this seed
            sm = new Random(seed * 1_000_003L + serial).nextBoolean();
        }
        SimBridge b = SimBridge.start(SimBridgeOptions.forServer(server, nick).relayId(nick).streamManagement(sm)
                .stressPerEndpoint(STRESS_PER_ENDPOINT));
        synchronized (this) {
            running.put(nick, b);
            if (sm) {
                withStreamManagement.add(nick);
            }
        }
        return b;
    }

    /** Stops {@code b} (a clean leave if it is still joined) and starts a replacement; returns the replacement. */
    SimBridge replace(SimBridge b) {
        retire(b);
        synchronized (this) {
            replacements++;
        }
        return add();
    }

    private void retire(SimBridge b) {
        synchronized (this) {
            running.remove(b.nick());
        }
        faults.remove(b.nick());
        b.close();
    }

    /** Every bridge running now (joined or hung), in start order. */
    synchronized List<SimBridge> running() {
        return new ArrayList<>(running.values());
    }

    synchronized int replacements() { return replacements; }

    void fault(String nick, String what) {
        faults.put(nick, new Fault(what, System.nanoTime()));
        injected.add(new Detection.Fault(nick, what, java.time.Instant.now()));
        everFaulted.add(nick);
        if (what.equals("hang")) {
            everHung.add(nick);
        }
    }

    void heal(String nick) {
        faults.remove(nick);
    }

    /** Every fault injected so far, in order. */
    List<Detection.Fault> injected() { return List.copyOf(injected); }

    /** The fault {@code nick} carries now, or null. */
    String faultOf(String nick) {
        Fault f = faults.get(nick);
        return f == null ? null : f.what();
    }

    /** The fault {@code nick} carries now with when it began, or null (one read: both from the same fault). */
    Fault currentFault(String nick) {
        return faults.get(nick);
    }

    /** Whether the chaos ever faulted {@code nick} (a failure of any other bridge is a false alarm). */
    boolean everFaulted(String nick) {
        return everFaulted.contains(nick);
    }

    boolean everHung(String nick) {
        return everHung.contains(nick);
    }

    boolean streamManagement(String nick) {
        return withStreamManagement.contains(nick);
    }

    @Override
    public void close() {
        for (SimBridge b : running()) {
            try {
                b.close();
            } catch (RuntimeException e) {
                System.err.println("closing " + b.nick() + ": " + e);
            }
        }
    }
}
