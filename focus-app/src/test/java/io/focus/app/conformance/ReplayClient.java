package io.focus.app.conformance;

import static org.awaitility.Awaitility.await;

import io.focus.sim.prosody.ProsodyServer;
import io.focus.sim.xml.Xml;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.jxmpp.jid.impl.JidCreate;
import org.w3c.dom.Element;

/**
 * A recorded lib-jitsi-meet client: logs in anonymously, sends its recorded conference requests and room join (same
 * nick, i.e. endpoint id, as recorded), acks every Jingle IQ with an empty result, answers each
 * {@code session-initiate} with its next recorded {@code session-accept} (rewritten to the offer's {@code sid}) and
 * disco#info with the recorded features. The recorded client's JID is replaced by this connection's in all it sends.
 */
final class ReplayClient implements AutoCloseable {
    static final String JINGLE = "urn:xmpp:jingle:1";
    private static final AtomicInteger IDS = new AtomicInteger();

    private final String name;
    private final String nick;
    private final String recordedJid;
    private final ReplayConnection connection;
    private final RecordedSequence seq;
    private final Deque<String> accepts = new ArrayDeque<>();
    private final String discoResult;
    private final Map<String, Element> replies = new ConcurrentHashMap<>();
    final List<String> problems = new CopyOnWriteArrayList<>();

    private ReplayClient(String name, RecordedSequence seq, ReplayConnection connection) {
        this.name = name;
        this.seq = seq;
        this.connection = connection;
        Element join = seq.first(name, "room-join").orElseThrow().deliveredXml();
        this.nick = join.getAttribute("from").substring(join.getAttribute("from").indexOf('/') + 1);
        this.recordedJid = Xml.child(Xml.child(join, "x").orElseThrow(), "item").orElseThrow().getAttribute("jid");
        seq.from(name, "session-accept").forEach(s -> accepts.add(s.wire()));
        this.discoResult = seq.where(s -> s.what().equals("disco-info-participant-result")).stream()
                .findFirst().orElseThrow().wire();
    }

    static ReplayClient start(ProsodyServer server, String name, RecordedSequence seq) {
        ReplayConnection c = ReplayConnection.login(server, null, server.guestDomain(), null);
        ReplayClient client = new ReplayClient(name, seq, c);
        c.onStanza(client::handle);
        return client;
    }

    String name() { return name; }

    /** The MUC nick, the endpoint id. */
    String nick() { return nick; }

    String jid() { return connection.jid(); }

    String recordedBareJid() { return bare(recordedJid); }

    /** Every stanza received, in order. */
    List<Element> received() { return connection.received(); }

    /** Sends the recorded conference requests (the last one again while the focus says ready=false). */
    Element requestConference() {
        List<RecordedSequence.Step> requests = seq.from(name, "conference-request");
        AtomicInteger n = new AtomicInteger();
        Element[] last = new Element[1];
        await(name + " conference ready").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    String wire = requests.get(Math.min(n.getAndIncrement(), requests.size() - 1)).wire();
                    last[0] = request(wire);
                    Element conf = Xml.child(last[0], "conference").orElse(null);
                    return conf != null && "true".equals(conf.getAttribute("ready"));
                });
        return last[0];
    }

    void joinRoom() {
        connection.sendRaw(rewrite(seq.first(name, "room-join").orElseThrow().wire(), null));
    }

    /** Replays a recorded stanza of this client (e.g. its room leave), rewritten to this connection. */
    void send(String recordedWire) {
        connection.sendRaw(rewrite(recordedWire, null));
    }

    /** The next offers get these recorded answers (after the ones of the client's own sequence). */
    void queueAccepts(List<String> recordedWires) {
        synchronized (accepts) {
            accepts.addAll(recordedWires);
        }
    }

    /** Jingle IQs received with this action, in order. */
    List<Element> jingle(String action) {
        return received().stream().filter(s -> jingleOf(s) != null && action.equals(jingleOf(s).getAttribute("action")))
                .toList();
    }

    static Element jingleOf(Element iq) {
        return "iq".equals(iq.getLocalName()) ? Xml.child(iq, "jingle", JINGLE).orElse(null) : null;
    }

    void kill() { connection.kill(); }

    @Override
    public void close() { connection.close(); }

    private Element request(String wire) {
        String id = "replay-" + IDS.incrementAndGet();
        connection.sendRaw(rewrite(wire, id));
        await(name + " reply " + id).atMost(Duration.ofSeconds(20)).until(() -> replies.containsKey(id));
        return replies.get(id);
    }

    private void handle(Element stanza) {
        if (!"iq".equals(stanza.getLocalName())) {
            return;
        }
        String type = stanza.getAttribute("type");
        if ("result".equals(type) || "error".equals(type)) {
            replies.put(stanza.getAttribute("id"), stanza);
            return;
        }
        Element child = Xml.children(stanza).stream().findFirst().orElse(null);
        if (child == null) {
            problems.add(name + " got an IQ without child: " + Xml.toString(stanza));
            return;
        }
        if (JINGLE.equals(child.getNamespaceURI())) {
            result(stanza, "");
            if ("session-initiate".equals(child.getAttribute("action"))) {
                accept(stanza, child);
            }
        } else if ("http://jabber.org/protocol/disco#info".equals(child.getNamespaceURI())) {
            Element query = Xml.child(Xml.parse(discoResult), "query").orElseThrow();
            if (child.hasAttribute("node")) {
                query.setAttribute("node", child.getAttribute("node"));
            } else {
                query.removeAttribute("node");
            }
            result(stanza, Xml.toString(query));
        } else if ("urn:xmpp:ping".equals(child.getNamespaceURI())) {
            result(stanza, "");
        } else {
            problems.add(name + " got an unexpected request: " + Xml.toString(stanza));
        }
    }

    private void accept(Element initiate, Element jingle) {
        String recorded;
        synchronized (accepts) {
            recorded = accepts.poll();
        }
        if (recorded == null) {
            problems.add(name + " got a session-initiate it has no recorded answer for: " + Xml.toString(initiate));
            return;
        }
        Element iq = Xml.parse(rewrite(recorded, "replay-" + IDS.incrementAndGet()));
        iq.setAttribute("to", initiate.getAttribute("from"));
        Xml.child(iq, "jingle", JINGLE).orElseThrow().setAttribute("sid", jingle.getAttribute("sid"));
        connection.sendRaw(Xml.toString(iq));
    }

    private void result(Element request, String child) {
        connection.sendRaw("<iq type='result' id='" + Xml.esc(request.getAttribute("id")) + "' to='"
                + Xml.esc(request.getAttribute("from")) + "'>" + child + "</iq>");
    }

    /** The recorded stanza with this connection's JID for the recorded one and, when {@code id} is set, that id. */
    private String rewrite(String wire, String id) {
        String text = wire.replace(recordedJid, jid()).replace(bare(recordedJid), bare(jid()));
        Element e = Xml.parse(text);
        if (id != null) {
            e.setAttribute("id", id);
        }
        return Xml.toString(e);
    }

    private static String bare(String jid) {
        try {
            return JidCreate.from(jid).asBareJid().toString();
        } catch (Exception e) {
            throw new IllegalArgumentException(jid, e);
        }
    }

    @Override
    public String toString() {
        return name + "/" + nick + " (" + jid() + ")";
    }
}
