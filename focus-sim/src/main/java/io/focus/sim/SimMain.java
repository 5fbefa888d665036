package io.focus.sim;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.jivesoftware.smack.packet.ExtensionElement;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.muc.MultiUserChatManager;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;
import org.w3c.dom.Element;

import io.focus.sim.bridge.SimBridge;
import io.focus.sim.bridge.SimBridgeOptions;
import io.focus.sim.participant.FocusReply;
import io.focus.sim.participant.SimParticipant;
import io.focus.sim.prosody.ProsodyOptions;
import io.focus.sim.prosody.ProsodyServer;
import io.focus.sim.xml.Xml;

/**
 * The simulator's command line.
 * <pre>
 * sim prosody [--port P] [--tls] [--duration S]
 * sim bridges --xmpp-host H --xmpp-port P --domain D --count N --regions a,b --password PW
 *             [--user jvb] [--brewery JID] [--interval S] [--first N] [--duration S]
 * sim participants --xmpp-host H --xmpp-port P --domain D --count N --room ROOM --focus JID [--regions a,b] [--duration S]
 * sim demo [--duration S]
 * </pre>
 * Without {@code --duration} a command runs until Ctrl-C.
 */
public final class SimMain {
    private static final PrintStream out = System.out;

    private SimMain() { }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help")) {
            usage();
            return;
        }
        Map<String, String> o = options(args);
        switch (args[0]) {
            case "prosody" -> prosody(o);
            case "bridges" -> bridges(o);
            case "participants" -> participants(o);
            case "demo" -> demo(o);
            default -> {
                System.err.println("unknown command: " + args[0]);
                usage();
                System.exit(2);
            }
        }
        System.exit(0);
    }

    private static void usage() {
        out.println("""
                usage:
                  sim prosody [--port P] [--tls] [--duration S]
                  sim bridges --xmpp-host H --xmpp-port P --domain D --count N --regions a,b --password PW
                              [--user jvb] [--brewery JID] [--interval S] [--first N] [--duration S]
                  sim participants --xmpp-host H --xmpp-port P --domain D --count N --room ROOM --focus JID
                              [--regions a,b] [--duration S]
                  sim demo [--duration S]
                Without --duration a command runs until Ctrl-C.""");
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> m = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument: " + a);
            }
            String key = a.substring(2);
            if (key.contains("=")) {
                m.put(key.substring(0, key.indexOf('=')), key.substring(key.indexOf('=') + 1));
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                m.put(key, args[++i]);
            } else {
                m.put(key, "true");
            }
        }
        return m;
    }

    private static String need(Map<String, String> o, String key) {
        String v = o.get(key);
        if (v == null) {
            throw new IllegalArgumentException("missing --" + key);
        }
        return v;
    }

    private static void waitForEnd(Map<String, String> o) throws InterruptedException {
        CountDownLatch latch = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(latch::countDown));
        if (o.containsKey("duration")) {
            latch.await(Long.parseLong(o.get("duration")), TimeUnit.SECONDS);
        } else {
            latch.await();
        }
    }

    // ------------------------------------------------------------------ prosody

    private static void prosody(Map<String, String> o) throws Exception {
        ProsodyOptions po = ProsodyOptions.defaults().withTls(o.containsKey("tls"));
        if (o.containsKey("port")) {
            po = po.withPort(Integer.parseInt(o.get("port")));
        }
        try (ProsodyServer s = ProsodyServer.start(po)) {
            s.register("focus", s.authDomain(), "focuspass");
            s.register("jvb", s.authDomain(), "jvbpass");
            out.printf("Prosody pid %d on %s:%d, domain %s (config %s)%n", s.pid(), s.host(), s.port(), s.domain(), s.configFile());
            out.printf("  focus: focus@%s / focuspass    bridges: jvb@%s / jvbpass%n", s.authDomain(), s.authDomain());
            out.printf("  brewery: %s    conferences: %s    guests: %s    pubsub: %s%n",
                    s.breweryJid(), s.conferenceMucDomain(), s.guestDomain(), s.pubsubDomain());
            out.printf("  bridges: sim bridges --xmpp-host %s --xmpp-port %d --domain %s --count 3 --regions eu-west,us-east --password jvbpass%n",
                    s.host(), s.port(), s.domain());
            out.flush();
            waitForEnd(o);
        }
    }

    // ------------------------------------------------------------------ bridges

    static List<SimBridge> startBridges(String host, int port, String domain, int count, int first, List<String> regions,
                                        String user, String password, String brewery, Duration interval,
                                        java.util.function.Consumer<String> lines) {
        List<SimBridge> bridges = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String nick = "jvb" + (first + i);
            SimBridgeOptions bo = SimBridgeOptions.nick(nick).xmpp(host, port).domain(domain).credentials(user, password)
                    .statsInterval(interval).ports(10000 + i, 9090 + i);
            if (!regions.isEmpty()) {
                bo.region(regions.get(i % regions.size()));
            }
            if (brewery != null) {
                bo.brewery(brewery);
            }
            SimBridge b = new SimBridge(bo);
            b.addListener(lines);
            b.start();
            bridges.add(b);
        }
        return bridges;
    }

    private static List<String> regions(Map<String, String> o) {
        String r = o.getOrDefault("regions", "");
        return r.isBlank() ? List.of() : List.of(r.split(","));
    }

    private static void bridges(Map<String, String> o) throws Exception {
        List<SimBridge> bridges = startBridges(o.getOrDefault("xmpp-host", "127.0.0.1"),
                Integer.parseInt(need(o, "xmpp-port")), o.getOrDefault("domain", "meet.test"),
                Integer.parseInt(o.getOrDefault("count", "1")), Integer.parseInt(o.getOrDefault("first", "1")),
                regions(o), o.getOrDefault("user", "jvb"), need(o, "password"), o.get("brewery"),
                Duration.ofSeconds(Long.parseLong(o.getOrDefault("interval", "5"))),
                line -> out.println(Instant.now() + " " + line));
        try {
            waitForEnd(o);
        } finally {
            bridges.forEach(SimBridge::stop);
        }
    }

    // ------------------------------------------------------------------ participants

    private static void participants(Map<String, String> o) throws Exception {
        String host = o.getOrDefault("xmpp-host", "127.0.0.1");
        int port = Integer.parseInt(need(o, "xmpp-port"));
        String domain = o.getOrDefault("domain", "meet.test");
        String room = need(o, "room");
        String focus = need(o, "focus");
        List<String> regions = regions(o);
        List<SimParticipant> ps = new ArrayList<>();
        try {
            for (int i = 0; i < Integer.parseInt(o.getOrDefault("count", "1")); i++) {
                String region = regions.isEmpty() ? null : regions.get(i % regions.size());
                SimParticipant p = SimParticipant.connect(host, port, "guest." + domain, null, null, false, null, region);
                ps.add(p);
                FocusReply r = p.requestConference(focus, room, Map.of(), Duration.ofSeconds(10));
                out.printf("%s %s (%s): conference request -> %s ready=%s%n", Instant.now(), p.endpointId(), region, r.type(), r.ready());
                p.join(room);
                out.printf("%s %s joined %s%n", Instant.now(), p.endpointId(), room);
            }
            waitForEnd(o);
        } finally {
            ps.forEach(SimParticipant::close);
        }
    }

    // ------------------------------------------------------------------ demo

    /** Watches the brewery like a focus would and keeps the latest stats per bridge. */
    static final class Observer implements AutoCloseable {
        final XMPPTCPConnection c;
        final Map<String, Map<String, String>> stats = new ConcurrentHashMap<>();
        final Map<String, String> presence = new ConcurrentHashMap<>();
        final Map<String, Instant> goneAt = new ConcurrentHashMap<>();

        Observer(ProsodyServer s) throws Exception {
            c = new XMPPTCPConnection(s.connectionConfig("focus", s.authDomain(), "focuspass", "observer").build());
            c.connect().login();
            c.addAsyncStanzaListener(st -> {
                Presence p = (Presence) st;
                String nick = p.getFrom().getResourceOrEmpty().toString();
                if (nick.equals("observer")) {
                    return;
                }
                if (p.getType() == Presence.Type.unavailable) {
                    presence.put(nick, "GONE");
                    goneAt.put(nick, Instant.now());
                    return;
                }
                presence.put(nick, "in room");
                ExtensionElement e = p.getExtensionElement("stats", "http://jitsi.org/protocol/colibri");
                if (e != null) {
                    Map<String, String> m = new LinkedHashMap<>();
                    for (Element stat : Xml.children(Xml.parse(e.toXML().toString()), "stat")) {
                        m.put(stat.getAttribute("name"), stat.getAttribute("value"));
                    }
                    stats.put(nick, m);
                }
            }, st -> st instanceof Presence && st.getFrom() != null && st.getFrom().asBareJid().toString().equals(s.breweryJid()));
            MultiUserChatManager.getInstanceFor(c).getMultiUserChat(JidCreate.entityBareFrom(s.breweryJid()))
                    .join(Resourcepart.from("observer"));
        }

        String table() {
            StringBuilder b = new StringBuilder();
            b.append(String.format("%-6s %-9s %-8s %-7s %-6s %-6s %-9s %-8s %-5s %-12s%n",
                    "bridge", "presence", "region", "stress", "confs", "parts", "graceful", "healthy", "drain", "stats at"));
            stats.keySet().stream().sorted().forEach(n -> {
                Map<String, String> m = stats.get(n);
                String ts = m.getOrDefault("current_timestamp", "");
                b.append(String.format("%-6s %-9s %-8s %-7s %-6s %-6s %-9s %-8s %-5s %-12s%n", n, presence.getOrDefault(n, "?"),
                        m.get("region"), m.get("stress_level"), m.get("conferences"), m.get("participants"),
                        m.get("graceful_shutdown"), m.get("healthy"), m.get("drain"),
                        ts.length() > 11 ? ts.substring(11) : ts));
            });
            return b.toString();
        }

        @Override
        public void close() {
            c.disconnect();
        }
    }

    private static void demo(Map<String, String> o) throws Exception {
        long total = Long.parseLong(o.getOrDefault("duration", "30"));
        boolean tty = System.console() != null;
        List<String> events = new CopyOnWriteArrayList<>();
        Instant t0 = Instant.now();
        java.util.function.Consumer<String> log = line -> events.add(String.format("%5.1fs  %s",
                Duration.between(t0, Instant.now()).toMillis() / 1000.0, line));
        out.println("== the focus — stage 1 demo: a real Prosody and three simulated bridges in two regions ==");
        try (ProsodyServer s = ProsodyServer.start()) {
            s.register("focus", s.authDomain(), "focuspass");
            s.register("jvb", s.authDomain(), "jvbpass");
            log.accept("Prosody " + s.domain() + " pid " + s.pid() + " on " + s.host() + ":" + s.port());
            try (Observer obs = new Observer(s)) {
                log.accept("observer joined " + s.breweryJid());
                List<SimBridge> bridges = startBridges(s.host(), s.port(), s.domain(), 3, 1, List.of("eu-west", "us-east"),
                        "jvb", "jvbpass", null, Duration.ofSeconds(2), log);
                Instant crashAt = null;
                boolean stressed = false;
                boolean crashed = false;
                int shown = 0;
                try {
                    long end = System.currentTimeMillis() + total * 1000;
                    while (System.currentTimeMillis() < end) {
                        long elapsed = Duration.between(t0, Instant.now()).toSeconds();
                        if (!stressed && elapsed >= total / 3) {
                            bridges.get(1).setStress(0.85);
                            log.accept("demo: jvb2 stress -> 0.85");
                            stressed = true;
                        }
                        if (!crashed && elapsed >= total / 2) {
                            crashAt = Instant.now();
                            bridges.get(2).crash();
                            log.accept("demo: jvb3 crashed (socket closed abruptly)");
                            crashed = true;
                        }
                        if (tty) {
                            out.print("\033[H\033[2J");
                            out.printf("the focus — demo (%ds of %ds)  Prosody %s:%d  brewery %s%n%n", elapsed, total, s.host(), s.port(), s.breweryJid());
                            out.print(obs.table());
                            out.println();
                            events.subList(Math.max(0, events.size() - 10), events.size()).forEach(out::println);
                        } else if (elapsed / 5 != shown) {
                            shown = (int) (elapsed / 5);
                            out.printf("--- t=%ds%n%s", elapsed, obs.table());
                        }
                        out.flush();
                        Thread.sleep(500);
                    }
                } finally {
                    bridges.forEach(SimBridge::stop);
                }
                out.println();
                out.println("== summary ==");
                out.print(obs.table());
                events.forEach(out::println);
                Instant gone = obs.goneAt.get("jvb3");
                if (crashAt != null && gone != null) {
                    out.printf("jvb3 crash -> unavailable presence at the observer: %d ms%n", Duration.between(crashAt, gone).toMillis());
                }
                String stress = obs.stats.getOrDefault("jvb2", Map.of()).get("stress_level");
                out.printf("jvb2 stress seen by the observer: %s%n", stress);
            }
            long pid = s.pid();
            s.stop();
            out.printf("Prosody pid %d stopped; left behind: %s%n", pid, s.leftoverProcesses());
        }
    }
}
