package io.focus.app.conformance;

import io.focus.sim.prosody.ProsodyExtension;
import io.focus.sim.prosody.ProsodyServer;
import io.focus.sim.xml.Xml;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.w3c.dom.Element;

/**
 * A recorded videobridge: logs in as {@code jvb@auth.<domain>}, joins the brewery with its recorded stats presence,
 * answers health checks with empty results and every Colibri2 request with the recorded bridge's answer for the
 * same endpoint/relay and operation (the recorded ICE transports, fingerprints, colibri-ws URLs and feedback
 * sources), echoing nothing it was not asked for. Keeps every Colibri2 request it got.
 */
final class ReplayBridge implements AutoCloseable {
    static final String COLIBRI2 = "jitsi:colibri2";

    private final String name;
    private final String nick;
    private final ReplayConnection connection;
    private final Map<String, List<Element>> pieces = new HashMap<>();
    private final Map<String, List<Element>> otherBridgesPieces = new HashMap<>();
    private final List<Element> colibri = new CopyOnWriteArrayList<>();
    final List<String> problems = new CopyOnWriteArrayList<>();

    private ReplayBridge(String name, ReplayConnection connection) {
        this.name = name;
        this.nick = name.replace("jvb", "jvb-");
        this.connection = connection;
    }

    /**
     * Starts bridge {@code name} ({@code jvb1}/{@code jvb2}) answering from the recorded replies of {@code name} in
     * {@code sources} (earlier sequences first; a later one's reply for the same piece wins).
     */
    static ReplayBridge start(ProsodyServer server, String name, List<RecordedSequence> sources) {
        ReplayConnection c = ReplayConnection.login(server, ProsodyExtension.JVB_USER, server.authDomain(),
                ProsodyExtension.JVB_PASSWORD);
        ReplayBridge b = new ReplayBridge(name, c);
        for (RecordedSequence seq : sources) {
            b.learn(seq);
        }
        c.onStanza(b::handle);
        b.join(server, sources);
        return b;
    }

    String name() { return name; }

    /** The Colibri2 requests received, in order (whole IQs as delivered). */
    List<Element> colibriRequests() { return colibri; }

    /** Ends the connection as a SIGKILL would: no unavailable presence. */
    void kill() { connection.kill(); }

    @Override
    public void close() { connection.close(); }

    private void join(ProsodyServer server, List<RecordedSequence> sources) {
        String stats = sources.stream().flatMap(s -> s.from(name, "brewery-presence").stream())
                .findFirst().map(RecordedSequence.Step::wireXml)
                .flatMap(p -> Xml.child(p, "stats")).map(Xml::toString)
                .orElseThrow(() -> new IllegalStateException("no recorded brewery presence of " + name));
        connection.sendRaw("<presence to='" + server.breweryJid() + "/" + nick + "'><x xmlns='http://jabber.org/protocol/muc'/>"
                + stats + "</presence>");
    }

    private void learn(RecordedSequence seq) {
        for (RecordedSequence.Step req : seq.where(s -> s.sender().equals("focus") && s.receiver().startsWith("jvb")
                && s.what().startsWith("colibri2"))) {
            Map<String, List<Element>> into = req.receiver().equals(name) ? pieces : otherBridgesPieces;
            Optional<RecordedSequence.Step> reply = seq.replyTo(req);
            if (reply.isEmpty() || !"result".equals(reply.get().deliveredXml().getAttribute("type"))) {
                continue;
            }
            Element modify = Xml.child(req.wireXml(), "conference-modify").orElseThrow();
            Element modified = Xml.child(reply.get().deliveredXml(), "conference-modified").orElseThrow();
            for (Element part : Xml.children(modify)) {
                if (isPart(part)) {
                    Xml.children(modified, part.getLocalName()).stream()
                            .filter(r -> part.getAttribute("id").equals(r.getAttribute("id"))).findFirst()
                            .ifPresent(r -> into.put(key(part), List.of(r)));
                }
            }
            if (Xml.boolAttr(modify, "create")) {
                into.put("conference-create", Xml.children(modified).stream().filter(e -> !isPart(e)).toList());
            }
        }
    }

    private void handle(Element stanza) {
        if (!"iq".equals(stanza.getLocalName())) {
            return;
        }
        String type = stanza.getAttribute("type");
        if (!"get".equals(type) && !"set".equals(type)) {
            return;
        }
        Element child = Xml.children(stanza).stream().findFirst().orElse(null);
        if (child != null && "healthcheck".equals(child.getLocalName())) {
            reply(stanza, "");
        } else if (child != null && "conference-modify".equals(child.getLocalName())
                && COLIBRI2.equals(child.getNamespaceURI())) {
            colibri.add(stanza);
            answerColibri(stanza, child);
        } else {
            problems.add(name + " got an unexpected request: " + Xml.toString(stanza));
            connection.sendRaw("<iq type='error' id='" + Xml.esc(stanza.getAttribute("id")) + "' to='"
                    + Xml.esc(stanza.getAttribute("from")) + "'><error type='cancel'><feature-not-implemented "
                    + "xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>");
        }
    }

    private void answerColibri(Element iq, Element modify) {
        StringBuilder body = new StringBuilder();
        for (Element part : Xml.children(modify)) {
            if (!isPart(part)) {
                continue;
            }
            String key = key(part);
            // a piece the recorded bridge never answered comes from the other recorded bridge (the focus may pick
            // the other of two equally loaded bridges; see AllowedDifference.EQUAL_BRIDGE_CHOICE)
            List<Element> recorded = pieces.getOrDefault(key, otherBridgesPieces.get(key));
            if (recorded != null) {
                recorded.forEach(e -> body.append(Xml.toString(e)));
            } else if (key.contains(":create")) {
                problems.add(name + " has no recorded reply for " + key + " in " + Xml.toString(iq));
                connection.sendRaw("<iq type='error' id='" + Xml.esc(iq.getAttribute("id")) + "' to='"
                        + Xml.esc(iq.getAttribute("from")) + "'><error type='cancel'><internal-server-error "
                        + "xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>");
                return;
            } else {
                body.append('<').append(part.getLocalName()).append(" id='").append(Xml.esc(part.getAttribute("id")))
                        .append('\'').append(Xml.boolAttr(part, "expire") ? " expire='true'" : "").append("/>");
            }
        }
        if (Xml.boolAttr(modify, "create")) {
            pieces.getOrDefault("conference-create", otherBridgesPieces.getOrDefault("conference-create", List.of()))
                    .forEach(e -> body.append(Xml.toString(e)));
        }
        reply(iq, body.length() == 0 && Xml.boolAttr(modify, "expire")
                ? "<conference-modified xmlns='" + COLIBRI2 + "'/>"
                : "<conference-modified xmlns='" + COLIBRI2 + "'>" + body + "</conference-modified>");
    }

    private void reply(Element iq, String child) {
        connection.sendRaw("<iq type='result' id='" + Xml.esc(iq.getAttribute("id")) + "' to='"
                + Xml.esc(iq.getAttribute("from")) + "'>" + child + "</iq>");
    }

    static boolean isPart(Element e) {
        return "endpoint".equals(e.getLocalName()) || "relay".equals(e.getLocalName());
    }

    /** {@code endpoint:<id>:create|update|expire} or the same for a relay. */
    static String key(Element part) {
        String op = Xml.boolAttr(part, "create") ? "create" : Xml.boolAttr(part, "expire") ? "expire" : "update";
        return part.getLocalName() + ":" + part.getAttribute("id") + ":" + op;
    }

    @Override
    public String toString() {
        return name + " (" + connection.jid() + ")";
    }

    static List<RecordedSequence> sources(RecordedSequence... seqs) {
        return new ArrayList<>(List.of(seqs));
    }
}
