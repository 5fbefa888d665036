package io.focus.bench.conference;

import io.focus.bench.e2e.InProcessFocus;
import io.focus.core.bridge.BridgeEvent;
import io.focus.conference.ConferenceManager;
import io.focus.sim.bridge.SimBridge;
import io.focus.sim.bridge.SimBridgeOptions;
import io.focus.sim.prosody.ProsodyServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * The focus's memory with {@code --conferences} (1,000) conferences of {@code --size} (2) cheap participants
 * ({@link CheapRooms}: in-memory rooms, no Jingle; each participant has a real Colibri2 allocation on a SimBridge).
 * This JVM holds only the focus (connection, registry, brewery watcher, conference manager, selector, Colibri2
 * backend) and the bench's own small bookkeeping: the SimBridges run in a child JVM (this main with
 * {@code --bridge-host}), Prosody in its own process. Prints heap used after a full GC and RSS (VmRSS from
 * /proc/self/status) before and after placing everybody, and the difference per conference.
 *
 * <p>{@code java -cp focus-bench/target/benchmarks.jar io.focus.bench.conference.MemoryBench [--conferences 1000]
 * [--size 2] [--bridges 4]}. JVM flags are this JVM's (printed). About half a minute on 2 cores.
 */
public final class MemoryBench {
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--bridge-host")) {
            bridgeHost(args);
            return;
        }
        int conferences = 1000;
        int size = 2;
        int bridges = 4;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--conferences" -> conferences = Integer.parseInt(args[i + 1]);
                case "--size" -> size = Integer.parseInt(args[i + 1]);
                case "--bridges" -> bridges = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (--conferences 1000, --size 2, --bridges 4)");
            }
        }
        InProcessFocus.quietSmack();
        System.out.printf(Locale.ROOT, "Memory: %d conferences x %d cheap participants (no Jingle), %d SimBridges in "
                        + "a child JVM, %d cores, JVM %s, flags %s, max heap %d MB%n", conferences, size, bridges,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                ManagementFactory.getRuntimeMXBean().getInputArguments(), Runtime.getRuntime().maxMemory() >> 20);
        Process host = null;
        try (ProsodyServer server = ProsodyServer.start();
             InProcessFocus focus = InProcessFocus.start(server, "", false)) {
            CheapRooms rooms = new CheapRooms();
            Map<String, Boolean> placed = new ConcurrentHashMap<>();
            Semaphore placements = new Semaphore(0);
            rooms.onPlaced((k, p) -> {
                if (placed.putIfAbsent(k, Boolean.TRUE) == null) {
                    placements.release();
                }
            });
            ConferenceManager manager = focus.conferences(server, rooms, rooms);
            List<String> nicks = new ArrayList<>();
            for (int i = 1; i <= bridges; i++) {
                nicks.add("jvb" + i);
            }
            long t0 = System.nanoTime();
            host = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx256m", "-cp",
                    System.getProperty("java.class.path"), MemoryBench.class.getName(), "--bridge-host",
                    server.host(), String.valueOf(server.port()), server.domain(), String.join(",", nicks))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            for (String n : nicks) {
                if (focus.await(BridgeEvent.Type.ADDED, n, t0, Duration.ofSeconds(60)) == null) {
                    throw new IllegalStateException("the registry did not add " + n + " within 60 s");
                }
            }
            // the first conferences warm up classes and caches; measure the baseline after a few
            fill(server, manager, rooms, placements, "warm", 10, size);
            manager.snapshot().conferences().forEach(c -> manager.endConference(c.roomJid()));
            FailoverBench.waitUntil(() -> manager.conferenceCount() == 0, Duration.ofSeconds(30), "warm-up ended");
            long[] before = measure();
            System.out.printf(Locale.ROOT, "  before: heap after GC %7.1f MB, RSS %7.1f MB (%d bridges known)%n",
                    before[0] / 1048576.0, before[1] / 1048576.0, focus.known().size());
            long f0 = System.nanoTime();
            fill(server, manager, rooms, placements, "mem", conferences, size);
            double fillSeconds = (System.nanoTime() - f0) / 1e9;
            long[] after = measure();
            System.out.printf(Locale.ROOT, "  after:  heap after GC %7.1f MB, RSS %7.1f MB with %d conferences, %d "
                            + "participants placed (placing them took %.1f s)%n", after[0] / 1048576.0,
                    after[1] / 1048576.0, manager.conferenceCount(), manager.snapshot().participantCount(),
                    fillSeconds);
            System.out.printf(Locale.ROOT, "  per conference: heap %+.1f KB, RSS %+.1f KB (RSS peak VmHWM %.1f MB)%n",
                    (after[0] - before[0]) / 1024.0 / conferences, (after[1] - before[1]) / 1024.0 / conferences,
                    after[2] / 1048576.0);
            System.out.println("Jicofo (reference section 12): RSS ~190-225 MB idle, ~380 MB with 600 endpoints "
                    + "(3 x 200 rooms).");
            manager.snapshot().conferences().forEach(c -> manager.endConference(c.roomJid()));
        } finally {
            if (host != null) {
                host.getOutputStream().close();
                host.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
                host.destroy();
            }
        }
        System.exit(0);
    }

    /** Requests {@code conferences} conferences of {@code size} and waits until every participant is placed. */
    static void fill(ProsodyServer server, ConferenceManager manager, CheapRooms rooms, Semaphore placements,
                     String prefix, int conferences, int size) throws Exception {
        int inFlight = 0;
        for (int c = 0; c < conferences; c++) {
            String room = prefix + c + "@" + server.conferenceMucDomain();
            manager.requestConference(room, Map.of()).get();
            for (int p = 0; p < size; p++) {
                rooms.join(room, String.format("%08x", c * 100 + p));
            }
            inFlight += size;
            // at most 32 conferences' worth of placements outstanding
            while (inFlight > 32 * size) {
                if (!placements.tryAcquire(60, java.util.concurrent.TimeUnit.SECONDS)) {
                    throw new IllegalStateException("placements stalled");
                }
                inFlight--;
            }
        }
        if (!placements.tryAcquire(inFlight, 120, java.util.concurrent.TimeUnit.SECONDS)) {
            throw new IllegalStateException("not every participant placed within 120 s");
        }
    }

    /** Heap used after full GCs, VmRSS and VmHWM in bytes. */
    static long[] measure() throws InterruptedException, IOException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long rss = 0;
        long hwm = 0;
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = kb(line);
            } else if (line.startsWith("VmHWM:")) {
                hwm = kb(line);
            }
        }
        return new long[] {heap, rss, hwm};
    }

    private static long kb(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
    }

    /** The child JVM: SimBridges in the brewery until stdin closes. */
    static void bridgeHost(String[] args) throws IOException {
        String host = args[1];
        int port = Integer.parseInt(args[2]);
        String domain = args[3];
        List<SimBridge> sims = new ArrayList<>();
        for (String nick : args[4].split(",")) {
            sims.add(SimBridge.start(SimBridgeOptions.nick(nick).xmpp(host, port).domain(domain).tls(false)
                    .relayId(nick).statsInterval(Duration.ofSeconds(5))));
        }
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            while (in.readLine() != null) {
                // nothing to do: stay until the parent closes stdin
            }
        }
        sims.forEach(SimBridge::close);
        System.exit(0);
    }
}
