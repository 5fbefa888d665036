package io.focus.app.conformance;

import static org.awaitility.Awaitility.await;

import io.focus.app.Main;
import io.focus.app.e2e.DaemonFixture;
import io.focus.app.http.HttpApi;
import io.focus.app.wiring.XmppService;
import io.focus.sim.prosody.FocusClientConfig;
import io.focus.sim.prosody.ProsodyExtension;
import io.focus.sim.prosody.ProsodyServer;
import io.focus.sim.xml.Xml;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.w3c.dom.Element;

/**
 * The focus as production wires it ({@link Main.Daemon}, the production injector, a Jicofo-style config) on a real
 * Prosody, with recorded bridges and clients around it. Also keeps what the focus sent to the MUC service itself
 * (room configuration, affiliations, its own presences), which no client receives, from the focus's connection.
 */
final class ReplayedCall implements AutoCloseable {
    static final String TOKEN = "conformance-token";

    final ProsodyServer server;
    final Map<String, ReplayBridge> bridges = new LinkedHashMap<>();
    final Map<String, ReplayClient> clients = new LinkedHashMap<>();
    final List<Element> sentToMuc = new CopyOnWriteArrayList<>();
    /** What the focus sent into the brewery (Colibri2, health checks), also to a bridge that is gone (d-008). */
    final List<Element> sentToBrewery = new CopyOnWriteArrayList<>();
    /** The brewery presences the focus received (e.g. a bridge's leave). */
    final List<Element> breweryPresences = new CopyOnWriteArrayList<>();
    Main.Daemon daemon;

    ReplayedCall(ProsodyServer server) {
        this.server = server;
    }

    ReplayBridge bridge(String name, List<RecordedSequence> sources) {
        ReplayBridge b = ReplayBridge.start(server, name, sources);
        bridges.put(name, b);
        return b;
    }

    /** Starts the daemon with the recording's Jicofo config plus {@code extra} (HOCON lines). */
    void startFocus(Path dir, String extra) throws Exception {
        String conf = String.join("\n",
                FocusClientConfig.hocon(server, ProsodyExtension.FOCUS_USER, ProsodyExtension.FOCUS_PASSWORD),
                "jicofo {",
                "  sctp.enabled = false",
                "  octo.sctp-datachannels = false",
                "  rest { host = \"127.0.0.1\", port = 0 }",
                "}",
                "focus.rest.token = \"" + TOKEN + "\"",
                extra,
                "");
        daemon = Main.Daemon.start(DaemonFixture.configHolder(dir, conf), Clock.systemUTC());
        XMPPTCPConnection c = daemon.injector().getInstance(XmppService.class).client().connection();
        String muc = server.conferenceMucDomain();
        c.addStanzaSendingListener(s -> sentToMuc.add(Xml.parse(s.toXML().toString())),
                s -> s.getTo() != null && s.getTo().getDomain().toString().equals(muc));
        String brewery = server.breweryJid();
        c.addStanzaSendingListener(s -> sentToBrewery.add(Xml.parse(s.toXML().toString())),
                s -> s.getTo() != null && s.getTo().asBareJid().toString().equals(brewery));
        c.addAsyncStanzaListener(s -> breweryPresences.add(Xml.parse(s.toXML().toString())),
                s -> s instanceof org.jivesoftware.smack.packet.Presence && s.getFrom() != null
                        && s.getFrom().asBareJid().toString().equals(brewery));
        int port = daemon.injector().getInstance(HttpApi.class).port();
        await("the focus sees " + bridges.keySet()).atMost(Duration.ofSeconds(30)).until(() -> {
            String body = http(port, "/bridges");
            return bridges.keySet().stream().allMatch(n -> body.contains("\"" + n.replace("jvb", "jvb-") + "\""));
        });
    }

    /** Starts another bridge after the focus, and waits until the focus lists it. */
    ReplayBridge lateBridge(String name, List<RecordedSequence> sources) {
        ReplayBridge b = bridge(name, sources);
        awaitSeen(name);
        return b;
    }

    /** Waits until the focus lists the bridge (its /bridges). */
    void awaitSeen(String name) {
        int port = daemon.injector().getInstance(HttpApi.class).port();
        await("the focus sees " + name).atMost(Duration.ofSeconds(30))
                .until(() -> http(port, "/bridges").contains("\"" + name.replace("jvb", "jvb-") + "\""));
    }

    ReplayClient client(String name, RecordedSequence seq) {
        ReplayClient c = ReplayClient.start(server, name, seq);
        clients.put(name, c);
        return c;
    }

    /** Problems the replaying parties ran into (requests they had no recorded answer for, ...). */
    List<String> problems() {
        List<String> p = new ArrayList<>();
        bridges.values().forEach(b -> p.addAll(b.problems));
        clients.values().forEach(c -> p.addAll(c.problems));
        return p;
    }

    /** A normaliser that knows this run's and the recording's per-run names of the clients. */
    StanzaNormaliser normaliser(RecordedSequence... recorded) {
        StanzaNormaliser n = new StanzaNormaliser();
        for (ReplayClient c : clients.values()) {
            n.rename(c.jid(), c.name() + "-full-jid").rename(bareOf(c.jid()), c.name() + "-jid");
        }
        for (RecordedSequence seq : recorded) {
            for (String name : clients.keySet()) {
                seq.first(name, "room-join").ifPresent(join -> {
                    String jid = Xml.child(Xml.child(join.deliveredXml(), "x").orElseThrow(), "item").orElseThrow()
                            .getAttribute("jid");
                    n.rename(jid, name + "-full-jid").rename(bareOf(jid), name + "-jid");
                });
            }
        }
        return n;
    }

    static String bareOf(String jid) {
        int slash = jid.indexOf('/');
        return slash < 0 ? jid : jid.substring(0, slash);
    }

    private static String http(int port, String path) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + path)).header("Authorization", "Bearer " + TOKEN)
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : "";
        } catch (Exception e) {
            return "";
        }
    }

    @Override
    public void close() {
        clients.values().forEach(c -> {
            try {
                c.close();
            } catch (RuntimeException e) {
                // already gone (killed)
            }
        });
        if (daemon != null) {
            daemon.stop();
        }
        bridges.values().forEach(b -> {
            try {
                b.close();
            } catch (RuntimeException e) {
                // already gone (killed)
            }
        });
    }
}
