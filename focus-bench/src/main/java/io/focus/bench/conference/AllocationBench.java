package io.focus.bench.conference;

import static io.focus.bench.Stats.pct;

import io.focus.bench.e2e.InProcessFocus;
import io.focus.core.bridge.BridgeEvent;
import io.focus.conference.ConferenceManager;
import io.focus.sim.bridge.SimBridge;
import io.focus.sim.bridge.SimBridgeOptions;
import io.focus.sim.prosody.ProsodyServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * Allocation throughput and latency (issue 5): participants placed per second, and the latency of one placement —
 * selection plus the Colibri2 {@code conference-modify} round trip through the real Prosody to a SimBridge — measured
 * from the moment the participant is in the room (with a second one, min-participants = 2) to its allocation.
 *
 * <p>Conferences of two cheap participants ({@link CheapRooms}: in-memory rooms, no Jingle) are requested and
 * filled, {@code --concurrency} (16) conferences in flight at a time, until {@code --placements} (1,000) participants
 * are placed on {@code --bridges} (4) SimBridges, with the real registry, brewery watcher, selector (least-stress)
 * and Colibri2 backend ({@link InProcessFocus}). A sequential warm-up of 100 placements (one conference at a time)
 * is printed too: the latency without queueing. The first participant of a conference also creates the conference
 * on its bridge (the same request carries the create).
 *
 * <p>{@code java -cp focus-bench/target/benchmarks.jar io.focus.bench.conference.AllocationBench [--placements 1000]
 * [--concurrency 16] [--bridges 4]}. Under a minute on 2 cores.
 */
public final class AllocationBench {
    public static void main(String[] args) throws Exception {
        int placements = 1000;
        int concurrency = 16;
        int bridges = 4;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--placements" -> placements = Integer.parseInt(args[i + 1]);
                case "--concurrency" -> concurrency = Integer.parseInt(args[i + 1]);
                case "--bridges" -> bridges = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (--placements 1000, --concurrency 16, --bridges 4)");
            }
        }
        InProcessFocus.quietSmack();
        System.out.printf(Locale.ROOT, "Allocation: conferences of 2 cheap participants (no Jingle), %d bridges, "
                + "real registry/selection/Colibri2 through Prosody, %d cores%n", bridges,
                Runtime.getRuntime().availableProcessors());
        List<SimBridge> sims = new ArrayList<>();
        try (ProsodyServer server = ProsodyServer.start();
             InProcessFocus focus = InProcessFocus.start(server, "", false)) {
            CheapRooms rooms = new CheapRooms();
            Map<String, CheapRooms.Placed> placed = new ConcurrentHashMap<>();
            Map<String, Semaphore> perRoom = new ConcurrentHashMap<>();
            rooms.onPlaced((k, p) -> {
                if (placed.putIfAbsent(k, p) == null) {
                    Semaphore s = perRoom.get(p.room());
                    if (s != null) {
                        s.release();
                    }
                }
            });
            ConferenceManager manager = focus.conferences(server, rooms, rooms);
            for (int i = 1; i <= bridges; i++) {
                long t0 = System.nanoTime();
                String nick = "jvb" + i;
                sims.add(SimBridge.start(SimBridgeOptions.forServer(server, nick).relayId(nick)
                        .statsInterval(Duration.ofSeconds(5))));
                if (focus.await(BridgeEvent.Type.ADDED, nick, t0, Duration.ofSeconds(30)) == null) {
                    throw new IllegalStateException("the registry did not add " + nick);
                }
            }
            Phase warm = phase(server, manager, rooms, placed, perRoom, "warmup", 100, 1);
            warm.print("sequential (1 conference at a time)");
            Phase main = phase(server, manager, rooms, placed, perRoom, "alloc", placements, concurrency);
            main.print(concurrency + " conferences in flight");
            Map<String, Integer> perBridge = new TreeMap<>();
            placed.values().forEach(p -> perBridge.merge(p.bridgeNick(), 1, Integer::sum));
            System.out.println("  placements per bridge (both phases): " + perBridge);
            manager.snapshot().conferences().forEach(c -> manager.endConference(c.roomJid()));
        } finally {
            sims.forEach(SimBridge::close);
        }
        System.exit(0);
    }

    record Phase(int placements, double seconds, List<Double> latencies, List<Double> firstInConference) {
        void print(String what) {
            System.out.printf(Locale.ROOT, "  %-36s %5d placed in %6.2f s = %7.1f participants/s; latency p50 %6.1f ms"
                            + "  p99 %6.1f ms  max %6.1f ms (conference-creating placements: p50 %6.1f ms)%n", what,
                    placements, seconds, placements / seconds, pct(latencies, 50),
                    pct(latencies, 99), pct(latencies, 100),
                    pct(firstInConference, 50));
        }
    }

    static Phase phase(ProsodyServer server, ConferenceManager manager, CheapRooms rooms,
                       Map<String, CheapRooms.Placed> placed, Map<String, Semaphore> perRoom, String prefix,
                       int placements, int concurrency) throws Exception {
        int conferences = (placements + 1) / 2;
        Semaphore inFlight = new Semaphore(concurrency);
        Map<String, Long> joinedAt = new ConcurrentHashMap<>();
        List<String> keys = new ArrayList<>();
        List<String> firsts = new ArrayList<>();
        List<Thread> waiters = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int c = 0; c < conferences; c++) {
            inFlight.acquire();
            String room = prefix + c + "@" + server.conferenceMucDomain();
            Semaphore done = new Semaphore(0);
            perRoom.put(room, done);
            manager.requestConference(room, Map.of()).get();
            for (int p = 0; p < 2; p++) {
                String ep = String.format("%08x", c * 2 + p);
                String k = CheapRooms.key(room, ep);
                keys.add(k);
                if (p == 0) {
                    firsts.add(k);
                }
                // the second join is when the conference has enough participants: both latencies start there
                if (p == 1) {
                    long full = System.nanoTime();
                    joinedAt.put(keys.get(keys.size() - 2), full);
                    joinedAt.put(k, full);
                }
                rooms.join(room, ep);
            }
            Thread w = new Thread(() -> {
                try {
                    if (!done.tryAcquire(2, 60, java.util.concurrent.TimeUnit.SECONDS)) {
                        System.err.println("not placed within 60 s: " + room);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    inFlight.release();
                }
            });
            w.setDaemon(true);
            w.start();
            waiters.add(w);
        }
        for (Thread w : waiters) {
            w.join();
        }
        long end = 0;
        List<Double> lat = new ArrayList<>();
        List<Double> first = new ArrayList<>();
        for (String k : keys) {
            CheapRooms.Placed p = placed.get(k);
            if (p == null) {
                continue;
            }
            end = Math.max(end, p.nanos());
            lat.add((p.nanos() - joinedAt.get(k)) / 1e6);
        }
        for (String k : firsts) {
            CheapRooms.Placed p = placed.get(k);
            if (p != null) {
                first.add((p.nanos() - joinedAt.get(k)) / 1e6);
            }
        }
        return new Phase(lat.size(), (end - t0) / 1e9, lat, first);
    }
}
