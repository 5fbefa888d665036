package io.focus.bench.conference;

import static io.focus.bench.Stats.pct;

import io.focus.bench.e2e.InProcessFocus;
import io.focus.core.bridge.BridgeEvent;
import io.focus.conference.ConferenceManager;
import io.focus.conference.ConferenceView;
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

/**
 * Failover time (issue 5): a bridge carrying {@code N} conferences of {@code --size} participants crashes; how long
 * until every participant has been re-placed — allocated on another bridge with a Colibri2 round trip through the
 * real Prosody. Runs N = 10 and N = 200 by default ({@code --conferences 10,200}).
 *
 * <p>Assembly: the real registry and brewery watcher (the crash is seen as Prosody reports the bridge's socket gone),
 * the real conference manager, selector ({@code least-stress}) and Colibri2 backend ({@link InProcessFocus}); cheap
 * participants ({@link CheapRooms}: in-memory rooms, no Jingle), so a participant counts as re-placed when its new
 * allocation succeeded — the Jingle re-offer and the participant's accept are not included (JoinBurstBench measures
 * those, for a smaller crash). All conferences are placed while only the victim bridge exists; then two more bridges
 * join and the victim crashes.
 *
 * <p>Prints per run: crash → REMOVED event, crash → last participant re-placed, per-participant p50/p99/max, where
 * they went (never the crashed bridge), and the Colibri2 requests the move cost.
 *
 * <p>{@code java -cp focus-bench/target/benchmarks.jar io.focus.bench.conference.FailoverBench [--conferences 10,200]
 * [--size 3] [--targets 2]}. About half a minute on 2 cores.
 */
public final class FailoverBench {
    public static void main(String[] args) throws Exception {
        String counts = "10,200";
        int size = 3;
        int targets = 2;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--conferences" -> counts = args[i + 1];
                case "--size" -> size = Integer.parseInt(args[i + 1]);
                case "--targets" -> targets = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (--conferences 10,200, --size 3, --targets 2)");
            }
        }
        InProcessFocus.quietSmack();
        System.out.printf(Locale.ROOT, "Failover: crash of a bridge carrying N conferences of %d participants (cheap "
                + "participants: allocation only, no Jingle), %d target bridges, real registry/brewery/Colibri2 "
                + "through Prosody, %d cores%n", size, targets, Runtime.getRuntime().availableProcessors());
        try (ProsodyServer server = ProsodyServer.start()) {
            int run = 0;
            for (String c : counts.split(",")) {
                run(server, ++run, Integer.parseInt(c.trim()), size, targets);
            }
        }
        System.out.println();
        System.out.println("Jicofo (reference section 12, same simulated bridges, one conference): re-places a "
                + "conference ~72 ms after a bridge crash.");
        System.exit(0);
    }

    static void run(ProsodyServer server, int run, int conferences, int size, int targets) throws Exception {
        CheapRooms rooms = new CheapRooms();
        Map<String, CheapRooms.Placed> last = new ConcurrentHashMap<>();
        rooms.onPlaced(last::put);
        List<SimBridge> sims = new ArrayList<>();
        try (InProcessFocus focus = InProcessFocus.start(server, "", false)) {
            ConferenceManager manager = focus.conferences(server, rooms, rooms);
            String victimNick = "victim" + run;
            SimBridge victim = bridge(server, focus, victimNick);
            sims.add(victim);
            List<String> keys = new ArrayList<>();
            for (int c = 0; c < conferences; c++) {
                String room = "failover" + run + "-" + c + "@" + server.conferenceMucDomain();
                manager.requestConference(room, Map.of()).get();
                for (int p = 0; p < size; p++) {
                    String ep = String.format("%08x", c * 100 + p);
                    rooms.join(room, ep);
                    keys.add(CheapRooms.key(room, ep));
                }
            }
            waitUntil(() -> keys.stream().allMatch(last::containsKey), Duration.ofSeconds(120),
                    "every participant placed on " + victimNick);
            for (int t = 1; t <= targets; t++) {
                sims.add(bridge(server, focus, "target" + run + "-" + t));
            }
            int requestsBefore = sims.stream().skip(1).mapToInt(b -> b.requests().size()).sum();
            System.out.printf(Locale.ROOT, "%n== %d conferences, %d participants on %s; crashing it ==%n",
                    conferences, keys.size(), victimNick);

            long t0 = System.nanoTime();
            victim.crash();
            InProcessFocus.Seen removed = focus.await(BridgeEvent.Type.REMOVED, victimNick, t0, Duration.ofSeconds(30));
            boolean all = waitUntil(() -> keys.stream().allMatch(k -> last.get(k).nanos() > t0),
                    Duration.ofSeconds(120), null);
            List<Double> each = new ArrayList<>();
            Map<String, Integer> where = new TreeMap<>();
            long lastNanos = 0;
            for (String k : keys) {
                CheapRooms.Placed p = last.get(k);
                if (p.nanos() > t0) {
                    each.add((p.nanos() - t0) / 1e6);
                    lastNanos = Math.max(lastNanos, p.nanos());
                    where.merge(p.bridgeNick(), 1, Integer::sum);
                }
            }
            int requests = sims.stream().skip(1).mapToInt(b -> b.requests().size()).sum() - requestsBefore;
            long onVictim = manager.snapshot().conferences().stream().map(ConferenceView::placement)
                    .flatMap(m -> m.values().stream()).filter(b -> b.endsWith("/" + victimNick)).count();
            System.out.printf(Locale.ROOT, "  crash -> REMOVED event:                  %8.1f ms%n",
                    removed == null ? Double.NaN : (removed.nanos() - t0) / 1e6);
            System.out.printf(Locale.ROOT, "  crash -> every participant re-placed:    %8.1f ms (%d of %d%s)%n",
                    (lastNanos - t0) / 1e6, each.size(), keys.size(), all ? "" : ", NOT ALL within 120 s");
            if (removed != null) {
                System.out.printf(Locale.ROOT, "  REMOVED -> every participant re-placed:  %8.1f ms%n",
                        (lastNanos - removed.nanos()) / 1e6);
            }
            System.out.printf(Locale.ROOT, "  per participant (from the crash):        min %8.1f ms  p50 %8.1f ms  "
                    + "p99 %8.1f ms  max %8.1f ms%n", pct(each, 0), pct(each, 50), pct(each, 99), pct(each, 100));
            System.out.printf(Locale.ROOT, "  re-placed on %s; left on the crashed bridge: %d; Colibri2 requests to the "
                    + "targets: %d (%.1f per participant)%n", where, onVictim, requests,
                    requests / (double) Math.max(1, each.size()));
            manager.snapshot().conferences().forEach(c -> manager.endConference(c.roomJid()));
        } finally {
            sims.forEach(SimBridge::close);
        }
    }

    static SimBridge bridge(ProsodyServer server, InProcessFocus focus, String nick) throws InterruptedException {
        long t0 = System.nanoTime();
        SimBridge b = SimBridge.start(SimBridgeOptions.forServer(server, nick).relayId(nick)
                .statsInterval(Duration.ofSeconds(5)));
        if (focus.await(BridgeEvent.Type.ADDED, nick, t0, Duration.ofSeconds(30)) == null) {
            throw new IllegalStateException("the registry did not add " + nick + " within 30 s");
        }
        return b;
    }

    static boolean waitUntil(java.util.function.BooleanSupplier condition, Duration timeout, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                if (what != null) {
                    throw new IllegalStateException("not within " + timeout + ": " + what);
                }
                return false;
            }
            Thread.sleep(1);
        }
        return true;
    }
}
