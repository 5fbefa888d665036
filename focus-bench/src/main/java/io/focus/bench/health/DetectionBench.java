package io.focus.bench.health;

import io.focus.core.bridge.BreweryWatcher;
import io.focus.core.bridge.BrewerySettings;
import io.focus.core.bridge.BridgeRegistry;
import io.focus.core.bridge.RegistrySettings;
import io.focus.core.xmpp.connection.XmppConnectionManager;
import io.focus.core.xmpp.connection.XmppSettings;
import io.focus.health.HealthCheckSender;
import io.focus.health.HealthDoctor;
import io.focus.health.HealthOutcome;
import io.focus.health.HealthSettings;
import io.focus.health.SmackHealthCheckSender;
import io.focus.sim.bridge.HealthMode;
import io.focus.sim.bridge.SimBridge;
import io.focus.sim.bridge.SimBridgeOptions;
import io.focus.sim.prosody.ProsodyServer;
import io.prometheus.client.CollectorRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * How fast the focus notices a bad bridge, against a real Prosody with simulated bridges. Prints, per setting:
 * crash → REMOVED; error reply (health mode FAILING) → FAILED; hang → FAILED; and, for the last two, the time from
 * the first failing health-check outcome to the FAILED event.
 *
 * <p>Run: {@code mvn -Pbench -pl focus-bench -am package -DskipTests && java -cp focus-bench/target/focus-bench-*.jar
 * io.focus.bench.health.DetectionBench [trials]}. Default settings take about 30 s per hang trial.
 */
public final class DetectionBench {
    record Setting(String name, HealthSettings health, int trials) {}

    public static void main(String[] args) throws Exception {
        int trials = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        List<Setting> settings = List.of(
                new Setting("default (interval 10s, timeout 5s, retry 5s, misses 2)", HealthSettings.defaults(),
                        Math.max(1, trials - 1)),
                new Setting("aggressive (interval 1s, timeout 500ms, retry 250ms, misses 2)",
                        new HealthSettings(true, Duration.ofSeconds(1), Duration.ofMillis(250), false,
                                Duration.ofSeconds(45), Duration.ofMillis(500), 2, Duration.ofMillis(500), 0.5),
                        trials));
        try (ProsodyServer prosody = ProsodyServer.start()) {
            prosody.register("focus", prosody.authDomain(), "focuspass");
            prosody.register("jvb", prosody.authDomain(), "jvbpass");
            for (Setting s : settings) {
                run(prosody, s);
            }
        }
        System.exit(0);
    }

    static void run(ProsodyServer prosody, Setting setting) throws Exception {
        List<Long> crash = new ArrayList<>(), error = new ArrayList<>(), hang = new ArrayList<>();
        List<Long> errorFromCheck = new ArrayList<>(), hangFromCheck = new ArrayList<>();
        Map<String, Long> eventNanos = new ConcurrentHashMap<>();
        Map<String, Long> firstBad = new ConcurrentHashMap<>();
        BridgeRegistry registry = new BridgeRegistry(RegistrySettings.defaults(), Clock.systemUTC());
        registry.addListener(e -> eventNanos.putIfAbsent(e.type() + " " + e.bridge().id(), System.nanoTime()));
        registry.start();
        XmppConnectionManager xmpp = new XmppConnectionManager(XmppSettings.builder(XmppSettings.SERVICE)
                .hostname(prosody.host()).port(prosody.port()).domain(prosody.authDomain()).username("focus")
                .password("focuspass").resource("bench").useTls(false).build());
        String brewery = prosody.breweryJid();
        BreweryWatcher watcher = new BreweryWatcher(new BrewerySettings(brewery, Duration.ofSeconds(10),
                BrewerySettings.Mode.MUC, null, "n", Duration.ofSeconds(30), Duration.ofMillis(250)), registry, xmpp,
                Clock.systemUTC());
        watcher.start();
        xmpp.start();
        xmpp.awaitFirstLogin(Duration.ofSeconds(10));
        SmackHealthCheckSender smack = new SmackHealthCheckSender(xmpp);
        HealthCheckSender recording = new HealthCheckSender() {
            @Override public CompletableFuture<HealthOutcome> check(String id, Duration timeout) {
                return smack.check(id, timeout).whenComplete((o, e) -> {
                    if (o != null && o.kind() != HealthOutcome.Kind.PASSED) {
                        firstBad.putIfAbsent(id, System.nanoTime());
                    }
                });
            }
            @Override public boolean ready() { return smack.ready(); }
        };
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        HealthDoctor doctor = new HealthDoctor(setting.health(), registry, recording, scheduler, Clock.systemUTC(),
                new CollectorRegistry());
        doctor.start();
        List<SimBridge> keep = new ArrayList<>();
        for (int i = 0; i < 2; i++) { // healthy bystanders: a single bad bridge is not a mass miss
            keep.add(start(prosody, brewery, "ok" + i, registry));
        }
        int n = 0;
        for (int t = 0; t < setting.trials(); t++) {
            SimBridge b = start(prosody, brewery, "c" + (n++), registry);
            String id = b.occupantJid().toLowerCase();
            long t0 = System.nanoTime();
            b.crash();
            crash.add(waitFor(eventNanos, "REMOVED " + id, t0, Duration.ofSeconds(30)));
            b.close();

            b = start(prosody, brewery, "e" + (n++), registry);
            id = b.occupantJid().toLowerCase();
            t0 = System.nanoTime();
            b.setHealthMode(HealthMode.FAILING);
            error.add(waitFor(eventNanos, "FAILED " + id, t0, Duration.ofSeconds(60)));
            errorFromCheck.add(eventNanos.get("FAILED " + id) - firstBad.get(id));
            b.close();

            b = start(prosody, brewery, "h" + (n++), registry);
            id = b.occupantJid().toLowerCase();
            t0 = System.nanoTime();
            b.hang();
            hang.add(waitFor(eventNanos, "FAILED " + id, t0, Duration.ofSeconds(90)));
            hangFromCheck.add(eventNanos.get("FAILED " + id) - firstBad.get(id));
            b.close();
        }
        System.out.println("== " + setting.name() + ", " + setting.trials() + " trial(s), 2 healthy bystanders");
        print("crash -> REMOVED", crash);
        print("error reply mode set -> FAILED", error);
        print("first error reply -> FAILED", errorFromCheck);
        print("hang -> FAILED", hang);
        print("first missed check -> FAILED", hangFromCheck);
        doctor.close();
        scheduler.shutdownNow();
        keep.forEach(SimBridge::close);
        watcher.close();
        xmpp.close();
        registry.close();
    }

    static SimBridge start(ProsodyServer p, String brewery, String nick, BridgeRegistry registry) throws Exception {
        SimBridge b = SimBridge.start(SimBridgeOptions.forServer(p, nick).brewery(brewery).resource(nick));
        String id = b.occupantJid().toLowerCase();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!registry.snapshot().contains(id)) {
            if (System.nanoTime() > deadline) throw new IllegalStateException(nick + " never appeared");
            Thread.sleep(5);
        }
        return b;
    }

    static long waitFor(Map<String, Long> events, String key, long t0, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!events.containsKey(key)) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("no " + key + " within " + max);
            Thread.sleep(1);
        }
        return events.get(key) - t0;
    }

    static void print(String what, List<Long> nanos) {
        List<Long> ms = nanos.stream().map(n -> TimeUnit.NANOSECONDS.toMillis(n)).sorted().toList();
        double mean = ms.stream().mapToLong(Long::longValue).average().orElse(0);
        System.out.printf("  %-34s min %6d ms  mean %8.1f ms  max %6d ms%n", what, ms.get(0), mean, ms.get(ms.size() - 1));
    }

}
