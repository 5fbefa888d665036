package io.focus.bench.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.focus.sim.bridge.SimBridge;
import io.focus.sim.bridge.SimBridgeOptions;
import io.focus.sim.participant.FocusReply;
import io.focus.sim.participant.SimParticipant;
import io.focus.sim.prosody.ProsodyOptions;
import io.focus.sim.prosody.ProsodyServer;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The demo ({@code scripts/demo.sh}): a real Prosody, four simulated bridges in two regions, the real focus daemon
 * ({@code bin/focus} with the sample config and the region strategy) and a stream of simulated conferences. Shows live
 * which conference is on which bridge (from the daemon's REST API), crashes the busiest bridge half-way and shows
 * the conferences moving and how long it took, stops everything it started (also on Ctrl-C) and prints a summary.
 *
 * <pre>Demo --checkout DIR [--duration SECONDS]</pre>
 */
public final class Demo {
    private static final PrintStream out = System.out;
    private static final String FOCUS_PASSWORD = "focuspass";
    private static final String JVB_PASSWORD = "jvbpass";

    private final Path checkout;
    private final Duration duration;
    /**
     * Whether the table is redrawn in place. scripts/demo.sh runs the demo with stdin from /dev/null (so that it
     * never waits for input), which makes {@code System.console()} null: the script tells whether stdout is a
     * terminal ({@code -Dfocus.demo.tty}).
     */
    private final boolean tty = (Boolean.getBoolean("focus.demo.tty") || System.console() != null)
            && System.getenv("TERM") != null && !"dumb".equals(System.getenv("TERM"));
    private final List<SimBridge> bridges = new ArrayList<>();
    private final ConcurrentLinkedQueue<SimParticipant> participants = new ConcurrentLinkedQueue<>();
    private final AtomicInteger conferencesRequested = new AtomicInteger();
    private final AtomicInteger participantsJoined = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();
    private final Random random = new Random(42);
    private ScheduledExecutorService load;
    private ProsodyServer prosody;
    private FocusProcess focus;
    private volatile boolean stopped;

    private Demo(Path checkout, Duration duration) {
        this.checkout = checkout;
        this.duration = duration;
    }

    public static void main(String[] args) throws Exception {
        Path checkout = Path.of(".");
        long seconds = 60;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--checkout" -> checkout = Path.of(args[++i]);
                case "--duration" -> seconds = Long.parseLong(args[++i]);
                default -> {
                    System.err.println("usage: Demo --checkout DIR [--duration SECONDS]");
                    System.exit(2);
                }
            }
        }
        Demo d = new Demo(checkout.toAbsolutePath().normalize(), Duration.ofSeconds(Math.max(20, seconds)));
        Runtime.getRuntime().addShutdownHook(new Thread(d::stopAll, "demo-cleanup"));
        int code = d.run();
        d.stopAll();
        System.exit(code);
    }

    private int run() throws Exception {
        Path work = Files.createTempDirectory("focus-demo-");
        step("Starting Prosody (a real one, in " + work + ")");
        prosody = ProsodyServer.start(ProsodyOptions.defaults());
        prosody.register("focus", prosody.authDomain(), FOCUS_PASSWORD);
        prosody.register("jvb", prosody.authDomain(), JVB_PASSWORD);
        out.printf("  Prosody pid %d on %s:%d, domain %s%n", prosody.pid(), prosody.host(), prosody.port(), prosody.domain());

        step("Starting 4 simulated bridges in two regions");
        String[][] spec = {{"jvb-us-1", "us-east", "0.10"}, {"jvb-us-2", "us-east", "0.20"},
                           {"jvb-eu-1", "eu-west", "0.10"}, {"jvb-eu-2", "eu-west", "0.25"}};
        for (String[] s : spec) {
            SimBridge b = SimBridge.start(SimBridgeOptions.forServer(prosody, s[0]).region(s[1]).relayId(s[0])
                    .statsInterval(Duration.ofSeconds(1)).stressPerEndpoint(0.01));
            b.setStress(Double.parseDouble(s[2]));
            bridges.add(b);
            out.printf("  %-9s region %-8s stress %s + 0.01 per endpoint%n", s[0], s[1], s[2]);
        }

        step("Starting the focus daemon: bin/focus --config (the sample config + this demo's Prosody)");
        focus = FocusProcess.start(checkout, work, prosody.host(), prosody.port(), prosody.domain(), FOCUS_PASSWORD,
                prosody.breweryJid(), String.join("\n",
                        "jicofo.bridge.selection-strategy = RegionBasedBridgeSelectionStrategy",
                        "jicofo.bridge.health-checks { interval = 2 seconds, retry-delay = 1 second }",
                        "focus.health.timeout = 2 seconds"),
                "-Xmx256m -XX:+UseSerialGC");
        out.printf("  pid %d, REST on 127.0.0.1:%d, log %s%n", focus.pid(), focus.restPort(), focus.log());
        FocusRest rest = new FocusRest(focus.restPort());
        long t0 = System.nanoTime();
        while (true) {
            if (!focus.alive()) {
                out.println("The focus exited during start-up; its log:");
                Files.readAllLines(focus.log()).forEach(out::println);
                return 1;
            }
            JsonNode b = rest.get("/bridges");
            if (b != null && b.get("bridges").size() == bridges.size()) {
                break;
            }
            if (ms(t0) > 60_000) {
                out.println("The focus did not discover the bridges within 60 s; see " + focus.log());
                return 1;
            }
            Thread.sleep(100);
        }
        out.printf("  the focus discovered %d bridges %d ms after it was started%n", bridges.size(), ms(t0));

        step("Simulated conferences start arriving; the busiest bridge crashes half-way");
        Thread.sleep(tty ? 1500 : 0);
        load = Executors.newScheduledThreadPool(4, r -> {
            Thread t = new Thread(r, "demo-load");
            t.setDaemon(true);
            return t;
        });
        long start = System.nanoTime();
        long crashAt = duration.toMillis() / 2;
        long arrivalsUntil = duration.toMillis() * 3 / 4;
        AtomicInteger n = new AtomicInteger();
        load.scheduleWithFixedDelay(() -> {
            if (ms(start) < arrivalsUntil && !stopped) {
                newConference(n.incrementAndGet());
            }
        }, 0, 1200, TimeUnit.MILLISECONDS);

        String crashed = null;
        long crashNanos = 0;
        Long movedMs = null;
        int toMove = 0;
        List<String[]> onCrashed = List.of();
        String lastEvent = "";
        long lastPrint = 0;
        while (ms(start) < duration.toMillis()) {
            Map<String, Map<String, String>> placements = rest.placements();
            if (placements != null) {
                if (crashed == null && ms(start) >= crashAt) {
                    crashed = busiest(placements);
                    toMove = count(placements, crashed);
                    onCrashed = new ArrayList<>();
                    for (Map.Entry<String, Map<String, String>> c : placements.entrySet()) {
                        for (Map.Entry<String, String> e : c.getValue().entrySet()) {
                            if (crashed.equals(e.getValue())) {
                                onCrashed.add(new String[] {c.getKey(), e.getKey()});
                            }
                        }
                    }
                    String c = crashed;
                    bridges.stream().filter(b -> b.nick().equals(c)).findFirst().ifPresent(SimBridge::crash);
                    crashNanos = System.nanoTime();
                    lastEvent = "CRASHED " + crashed + " (" + toMove + " participants on it)";
                } else if (crashed != null && movedMs == null && allMoved(placements, onCrashed, crashed)) {
                    movedMs = ms(crashNanos);
                    lastEvent = "CRASHED " + crashed + ": all " + toMove + " participants moved in " + movedMs + " ms";
                }
                if (tty || ms(lastPrint) >= 5000 || (crashed != null && movedMs != null && lastEvent.contains("moved")
                        && lastPrint < crashNanos)) {
                    render(rest, placements, ms(start), lastEvent);
                    lastPrint = System.nanoTime();
                }
            }
            Thread.sleep(crashed != null && movedMs == null ? 50 : 500);
        }

        step("Stopping: participants leave, SIGTERM to the focus");
        stopped = true;
        load.shutdownNow();
        JsonNode stats = rest.get("/stats");
        String metrics = rest.text("/metrics");
        for (SimParticipant p : participants) {
            try {
                p.close();
            } catch (RuntimeException e) {
                // gone already
            }
        }
        participants.clear();
        long term = System.nanoTime();
        int exit = focus.stop(Duration.ofSeconds(30));
        long termMs = ms(term);

        out.println();
        out.println("==================================== summary ====================================");
        out.printf("conferences requested           %d (%d participants joined, %d requests failed)%n",
                conferencesRequested.get(), participantsJoined.get(), failures.get());
        if (stats != null) {
            out.printf("focus /stats                    conferences %d, participants %d, created %d, moved %d, "
                            + "bridges removed from conferences %d%n", stats.get("conferences").asInt(), stats.get("participants").asInt(),
                    stats.get("total_conferences_created").asInt(),
                    stats.get("bridge_failures").get("participants_moved").asInt(),
                    stats.get("bridge_failures").get("bridges_removed").asInt());
        }
        out.printf("bridge crash                    %s: %d participants on it, %s%n", crashed, toMove,
                movedMs == null ? "NOT all moved before the end" : "all re-placed on other bridges in " + movedMs + " ms");
        out.printf("metrics (Jicofo names)          %s%n", grep(metrics, "jitsi_jicofo_participants_moved_total "));
        out.printf("                                %s%n", grep(metrics, "jitsi_jicofo_bridge_selector_bridge_count "));
        out.printf("focus stopped (SIGTERM)         exit code %d after %d ms%n", exit, termMs);
        out.printf("focus log                       %s%n", focus.log());
        out.println("=================================================================================");
        return exit == 0 && movedMs != null && failures.get() == 0 ? 0 : 1;
    }

    /** A conference of 2-4 participants from one region; it lasts 15-40 s. */
    private void newConference(int i) {
        String region = random.nextBoolean() ? "us-east" : "eu-west";
        int size = 2 + random.nextInt(3);
        String room = String.format("demo-%02d-%s@%s", i, region.substring(0, 2), prosody.conferenceMucDomain());
        String focusJid = "focus@" + prosody.authDomain() + "/focus";
        conferencesRequested.incrementAndGet();
        List<SimParticipant> mine = new ArrayList<>();
        try {
            for (int k = 0; k < size; k++) {
                SimParticipant p = SimParticipant.anonymous(prosody, String.format("p%02d%c", i, 'a' + k), region);
                participants.add(p);
                mine.add(p);
                FocusReply r = p.requestConference(focusJid, room, Map.of("rtcstatsEnabled", "false"), Duration.ofSeconds(20));
                if (!r.isResult() || !r.ready()) {
                    failures.incrementAndGet();
                    return;
                }
                p.join(room);
                participantsJoined.incrementAndGet();
            }
        } catch (RuntimeException e) {
            if (!stopped) {
                failures.incrementAndGet();
            }
            return;
        }
        long lifetime = 15_000 + random.nextInt(25_000);
        load.schedule(() -> mine.forEach(p -> {
            participants.remove(p);
            try {
                p.close();
            } catch (RuntimeException e) {
                // gone already
            }
        }), lifetime, TimeUnit.MILLISECONDS);
    }

    private void render(FocusRest rest, Map<String, Map<String, String>> placements, long elapsedMs, String event) {
        StringBuilder sb = new StringBuilder();
        if (tty) {
            sb.append("\033[H\033[2J");
        }
        sb.append(String.format("the focus demo  t=%5.1f s / %d s   conferences %d   participants %d%n",
                elapsedMs / 1000.0, duration.toSeconds(), placements.size(),
                placements.values().stream().mapToInt(Map::size).sum()));
        if (!event.isEmpty()) {
            sb.append(">>> ").append(event).append('\n');
        }
        sb.append(String.format("%-9s %-8s %-13s %6s %5s %5s  %s%n", "BRIDGE", "REGION", "STATE", "STRESS", "CONFS",
                "EPS", "CONFERENCES (participants)"));
        JsonNode bs = rest.get("/bridges");
        Map<String, String[]> known = new TreeMap<>();
        if (bs != null) {
            for (JsonNode b : bs.get("bridges")) {
                String state = b.get("operational").asBoolean() ? "operational" : "failed";
                if (b.get("drain").asBoolean()) {
                    state = "draining";
                }
                // the stress the bridge reports, with the focus's ramp-up correction for its recent joins
                known.put(b.get("nick").asText(), new String[] {b.get("region").asText(), state,
                        String.format("%.2f", b.get("corrected-stress").asDouble())});
            }
        }
        for (SimBridge b : bridges) {
            String[] k = known.getOrDefault(b.nick(), new String[] {b.region(), "GONE", "-"});
            List<String> confs = new ArrayList<>();
            int eps = 0;
            for (Map.Entry<String, Map<String, String>> c : placements.entrySet()) {
                long on = c.getValue().values().stream().filter(b.nick()::equals).count();
                if (on > 0) {
                    confs.add(c.getKey().substring(0, c.getKey().indexOf('@')) + "(" + on + ")");
                    eps += on;
                }
            }
            String list = String.join(" ", confs);
            if (list.length() > 90) {
                list = list.substring(0, 87) + "...";
            }
            sb.append(String.format("%-9s %-8s %-13s %6s %5d %5d  %s%n", b.nick(), k[0], k[1], k[2], confs.size(), eps,
                    list));
        }
        int waiting = waiting(placements);
        if (waiting > 0) {
            sb.append(String.format("%-9s %-8s %-13s %6s %5s %5d%n", "(none)", "", "waiting", "", "", waiting));
        }
        if (!tty) {
            sb.append('\n');
        }
        out.print(sb);
        out.flush();
    }

    private static String busiest(Map<String, Map<String, String>> placements) {
        Map<String, Integer> n = new TreeMap<>();
        placements.values().forEach(m -> m.values().forEach(b -> {
            if (b != null) {
                n.merge(b, 1, Integer::sum);
            }
        }));
        return n.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse("jvb-us-1");
    }

    /** Every participant that was on the crashed bridge is placed on another one (or has left). */
    private static boolean allMoved(Map<String, Map<String, String>> placements, List<String[]> moved, String crashed) {
        for (String[] x : moved) {
            Map<String, String> c = placements.get(x[0]);
            if (c != null && c.containsKey(x[1]) && (c.get(x[1]) == null || crashed.equals(c.get(x[1])))) {
                return false;
            }
        }
        return true;
    }

    private static int count(Map<String, Map<String, String>> placements, String bridge) {
        return (int) placements.values().stream().flatMap(m -> m.values().stream()).filter(bridge::equals).count();
    }

    private static int waiting(Map<String, Map<String, String>> placements) {
        return (int) placements.values().stream().filter(m -> m.size() >= 2)
                .flatMap(m -> m.values().stream()).filter(b -> b == null).count();
    }

    private static String grep(String text, String prefix) {
        for (String l : text.split("\n")) {
            if (l.startsWith(prefix)) {
                return l;
            }
        }
        return prefix + "(absent)";
    }

    private void step(String what) {
        out.println();
        out.println("== " + what);
    }

    private synchronized void stopAll() {
        stopped = true;
        if (load != null) {
            load.shutdownNow();
        }
        for (SimParticipant p : participants) {
            try {
                p.close();
            } catch (RuntimeException e) {
                // best effort
            }
        }
        participants.clear();
        if (focus != null) {
            try {
                focus.stop(Duration.ofSeconds(15));
            } catch (InterruptedException e) {
                focus.close();
            }
        }
        bridges.forEach(SimBridge::close);
        bridges.clear();
        if (prosody != null) {
            prosody.close();
            prosody = null;
        }
    }

    private static long ms(long since) {
        return (System.nanoTime() - since) / 1_000_000;
    }

    static { Locale.setDefault(Locale.ROOT); }
}
