package io.focus.sim.participant;

import static io.focus.sim.participant.JingleCodec.JINGLE_NS;

import java.security.SecureRandom;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.jivesoftware.smack.iqrequest.AbstractIqRequestHandler;
import org.jivesoftware.smack.iqrequest.IQRequestHandler;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.disco.ServiceDiscoveryManager;
import org.jxmpp.jid.impl.JidCreate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Element;

import io.focus.sim.xml.RawIQ;
import io.focus.sim.xml.Stanzas;
import io.focus.sim.xml.Xml;

/**
 * The Jingle side of a {@link SimParticipant}: answers the focus's offers, keeps the participant's view of the call
 * (owner endpoint → sources) and sends what a Jitsi Meet client sends.
 *
 * <p>All session state is owned by one control thread per participant; Smack's threads only enqueue work, and
 * readers see immutable snapshots. Incoming Jingle IQs arrive as text ({@link io.focus.sim.xml.RawIqConnection}),
 * whatever Jingle provider is registered in the JVM. Bad input is refused with an error reply and changes nothing.
 */
final class JingleAgent {
    private static final Logger log = LoggerFactory.getLogger(JingleAgent.class);
    private static final long REPLY_TIMEOUT_MS = 10_000;

    /** Features a Jitsi Meet client announces (no SCTP: the simulated participant opens no data channel). */
    static final List<String> FEATURES = List.of(
            "urn:xmpp:jingle:1", "urn:xmpp:jingle:apps:rtp:1", "urn:xmpp:jingle:transports:ice-udp:1",
            "urn:xmpp:jingle:apps:dtls:0", "urn:xmpp:jingle:apps:rtp:audio", "urn:xmpp:jingle:apps:rtp:video",
            "urn:ietf:rfc:5761", "urn:ietf:rfc:5888", "http://jitsi.org/tcc", "http://jitsi.org/remb",
            "http://jitsi.org/source-name", "http://jitsi.org/receive-multiple-video-streams");

    private final XMPPTCPConnection connection;
    private final String endpointId;
    private final Supplier<String> occupantJid;
    private final ExecutorService control;
    private final Random rnd = new SecureRandom();
    private final AtomicInteger sessionsStarted = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final List<String> received = new CopyOnWriteArrayList<>();

    private volatile JingleOptions options;
    // owned by the control thread; volatile so that readers see the latest immutable value
    private volatile JingleSession session;
    private volatile Map<String, EndpointSources> remote = Map.of();
    private volatile EndpointSources own;
    private volatile String lastTerminateReason;

    JingleAgent(XMPPTCPConnection connection, String endpointId, Supplier<String> occupantJid, JingleOptions options) {
        this.connection = connection;
        this.endpointId = endpointId;
        this.occupantJid = occupantJid;
        this.options = options;
        this.own = JingleTemplates.newOwnSources(endpointId, options.simulcast(), rnd);
        this.control = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "sim-jingle-" + endpointId);
            t.setDaemon(true);
            return t;
        });
        ServiceDiscoveryManager sdm = ServiceDiscoveryManager.getInstanceFor(connection);
        FEATURES.forEach(sdm::addFeature);
        applyFeatures(options);
        connection.registerIQRequestHandler(new AbstractIqRequestHandler("jingle", JINGLE_NS, IQ.Type.set,
                IQRequestHandler.Mode.sync) {
            @Override
            public IQ handleIQRequest(IQ iq) {
                String xml = Stanzas.childXml(iq);
                run(() -> onJingle(iq, xml));
                return null;
            }
        });
    }

    // ------------------------------------------------------------------ options and queries

    JingleOptions options() { return options; }

    void options(JingleOptions o) {
        options = o;
        applyFeatures(o);
    }

    private void applyFeatures(JingleOptions o) {
        ServiceDiscoveryManager sdm = ServiceDiscoveryManager.getInstanceFor(connection);
        if (o.jsonSources()) {
            sdm.addFeature(JingleOptions.JSON_SOURCES_FEATURE);
        } else {
            sdm.removeFeature(JingleOptions.JSON_SOURCES_FEATURE);
        }
    }

    JingleSession session() { return session; }

    Map<String, Set<Long>> remoteSources() {
        Map<String, Set<Long>> m = new TreeMap<>();
        remote.forEach((o, s) -> m.put(o, Collections.unmodifiableSet(s.ssrcs())));
        return Collections.unmodifiableMap(m);
    }

    Map<String, EndpointSources> remoteSourceDetails() { return remote; }

    EndpointSources ownSources() { return own; }

    int sessionsStarted() { return sessionsStarted.get(); }

    int refused() { return refused.get(); }

    List<String> received() { return List.copyOf(received); }

    String lastTerminateReason() { return lastTerminateReason; }

    // ------------------------------------------------------------------ incoming

    private void onJingle(IQ iq, String xml) {
        JingleOptions o = options;
        Element j;
        String action;
        try {
            j = JingleCodec.jingle(xml);
            action = j.getAttribute("action");
        } catch (IllegalArgumentException e) {
            refuse(iq, StanzaError.Condition.bad_request, e.getMessage(), null, o);
            return;
        }
        String sid = j.getAttribute("sid");
        received.add(action + " " + sid);
        JingleSession s = session;
        if (!"session-initiate".equals(action) && (s == null || !s.sid().equals(sid))) {
            refuse(iq, StanzaError.Condition.item_not_found, "no session " + sid + " (current "
                    + (s == null ? "none" : s.sid()) + ")", "unknown-session", o);
            return;
        }
        try {
            switch (action) {
                case "session-initiate" -> onSessionInitiate(iq, j, o);
                case "source-add" -> {
                    Map<String, EndpointSources> add = JingleCodec.sources(j);
                    ack(iq, o);
                    remote = JingleWire.apply(remote, add, true);
                    log.debug("Sim participant {}: source-add {} → view {}", endpointId, JingleWire.owners(add), remoteSources());
                }
                case "source-remove" -> {
                    Map<String, EndpointSources> rm = JingleCodec.sources(j);
                    ack(iq, o);
                    remote = JingleWire.apply(remote, rm, false);
                    log.debug("Sim participant {}: source-remove {} → view {}", endpointId, JingleWire.owners(rm), remoteSources());
                }
                case "session-terminate" -> {
                    ack(iq, o);
                    lastTerminateReason = JingleWire.reasonOf(j);
                    log.info("Sim participant {}: session {} terminated by the focus ({})", endpointId, sid,
                            lastTerminateReason);
                    clearSession();
                }
                case "transport-replace" -> onTransportReplace(iq, j, s, o);
                case "session-info" -> ack(iq, o);
                default -> refuse(iq, StanzaError.Condition.feature_not_implemented,
                        "unsupported Jingle action " + action, null, o);
            }
        } catch (IllegalArgumentException e) {
            refuse(iq, StanzaError.Condition.bad_request, action + ": " + e.getMessage(), null, o);
        }
    }

    private void onSessionInitiate(IQ iq, Element j, JingleOptions o) {
        // read everything before changing anything
        IceTransport transport = JingleCodec.transport(j);
        if (transport == null) {
            throw new IllegalArgumentException("offer without an ICE-UDP transport");
        }
        List<Codec> codecs = JingleCodec.codecs(j);
        Map<String, EndpointSources> sources = JingleCodec.sources(j);
        Optional<Element> bs = JingleCodec.bridgeSession(j);
        String focus = String.valueOf(iq.getFrom());
        JingleSession old = session;
        if (old != null) {
            log.warn("Sim participant {}: session-initiate {} while session {} is open; replacing it", endpointId,
                    j.getAttribute("sid"), old.sid());
        }
        JingleSession s = new JingleSession(j.getAttribute("sid"), focus, Xml.attr(j, "initiator"),
                bs.map(b -> Xml.attr(b, "id")).orElse(null), bs.map(b -> Xml.attr(b, "region")).orElse(null),
                transport, null, codecs, JingleCodec.hasJsonSources(j), JingleSession.State.OFFERED, 0);
        session = s;
        remote = JingleWire.apply(Map.of(), sources, true);
        sessionsStarted.incrementAndGet();
        log.info("Sim participant {}: session-initiate {} from {} (bridge-session {}, region {}, {} remote owners, {})",
                endpointId, s.sid(), focus, s.bridgeSessionId(), s.region(), remote.size(),
                s.jsonSources() ? "JSON sources" : "XML sources");
        ack(iq, o);
        if (o.autoAccept() && !o.neverAnswer()) {
            sendAccept();
        }
    }

    private void onTransportReplace(IQ iq, Element j, JingleSession s, JingleOptions o) {
        IceTransport transport = JingleCodec.transport(j);
        if (transport == null) {
            throw new IllegalArgumentException("transport-replace without an ICE-UDP transport");
        }
        boolean hasSources = JingleCodec.hasJsonSources(j) || !JingleCodec.sourcesFromXml(j).isEmpty();
        Map<String, EndpointSources> sources = hasSources ? JingleCodec.sources(j) : null;
        Optional<Element> bs = JingleCodec.bridgeSession(j);
        IceTransport local = JingleTemplates.newTransport(endpointId, rnd, options.candidates());
        JingleSession n = new JingleSession(s.sid(), s.focus(), s.initiator(),
                bs.map(b -> Xml.attr(b, "id")).orElse(s.bridgeSessionId()),
                bs.map(b -> Xml.attr(b, "region")).orElse(s.region()), transport, local,
                JingleCodec.codecs(j).isEmpty() ? s.codecs() : JingleCodec.codecs(j), s.jsonSources(), s.state(),
                s.transportReplaces() + 1);
        session = n;
        if (sources != null) {
            remote = JingleWire.apply(Map.of(), sources, true);
        }
        log.info("Sim participant {}: transport-replace in {} (bridge-session {})", endpointId, s.sid(),
                n.bridgeSessionId());
        ack(iq, o);
        if (!o.neverAnswer()) {
            send(jingleIq("transport-accept", n, null, JingleTemplates.transportAcceptInner(local)), "transport-accept");
        }
    }




    private void clearSession() {
        session = null;
        remote = Map.of();
    }

    // ------------------------------------------------------------------ outgoing

    /** Sends session-accept for the current offer (auto-accept does this itself). */
    CompletableFuture<JingleReply> accept() {
        return call(this::sendAccept);
    }

    private CompletableFuture<JingleReply> sendAccept() {
        JingleSession s = session;
        if (s == null) {
            return JingleWire.notSent("no session to accept");
        }
        IceTransport local = JingleTemplates.newTransport(endpointId, rnd, options.candidates());
        JingleSession sent = s.withLocal(local).with(JingleSession.State.ACCEPT_SENT);
        session = sent;
        String inner = JingleTemplates.sessionAcceptInner(JingleTemplates.Answer.from(s.codecs()), own, local, ownerAttr());
        CompletableFuture<JingleReply> f = send(jingleIq("session-accept", s, String.valueOf(connection.getUser()), inner),
                "session-accept");
        return f.whenComplete((r, e) -> run(() -> {
            JingleSession cur = session;
            if (cur != null && cur.sid().equals(s.sid()) && cur.state() == JingleSession.State.ACCEPT_SENT) {
                session = cur.with(r != null && r.isResult() ? JingleSession.State.ACCEPTED : JingleSession.State.ACCEPT_FAILED);
            }
        }));
    }

    /** session-info with {@code <ice-state>failed</ice-state>} and the current bridge session. */
    CompletableFuture<JingleReply> reportIceFailed() {
        return call(() -> {
            JingleSession s = session;
            if (s == null) {
                return JingleWire.notSent("no session");
            }
            log.info("Sim participant {}: reporting ICE failure for bridge-session {}", endpointId, s.bridgeSessionId());
            return send(jingleIq("session-info", s, null, JingleTemplates.iceFailedInner(s.bridgeSessionId())), "session-info");
        });
    }

    /**
     * session-terminate with {@code reason} (a Jingle reason element name), optional text and
     * {@code <bridge-session id restart>}; the session and the remote view are dropped at once, as a client does.
     */
    CompletableFuture<JingleReply> terminate(String reason, String text, boolean restart) {
        return call(() -> {
            JingleSession s = session;
            if (s == null) {
                return JingleWire.notSent("no session");
            }
            log.info("Sim participant {}: session-terminate {} ({} {}, restart={})", endpointId, s.sid(), reason, text, restart);
            CompletableFuture<JingleReply> f = send(jingleIq("session-terminate", s, null,
                    JingleTemplates.terminateInner(reason, text, s.bridgeSessionId(), restart)), "session-terminate");
            clearSession();
            return f;
        });
    }

    /** source-remove of the own sources of one media ({@code audio}/{@code video}) or all (null). */
    CompletableFuture<JingleReply> removeOwnSources(String media) {
        return call(() -> {
            JingleSession s = session;
            EndpointSources mine = own;
            EndpointSources gone = JingleWire.only(mine, media);
            if (gone.isEmpty()) {
                return JingleWire.notSent("no own " + (media == null ? "" : media + " ") + "sources");
            }
            own = mine.minus(gone);
            if (s == null) {
                return JingleWire.notSent("no session (removed locally)");
            }
            return send(jingleIq("source-remove", s, null, JingleTemplates.sourcesInner(gone, ownerAttr())), "source-remove");
        });
    }

    /** source-add of fresh own sources of one media (or both, null) that the participant does not have yet. */
    CompletableFuture<JingleReply> addOwnSources(String media) {
        return call(() -> {
            JingleSession s = session;
            EndpointSources mine = own;
            EndpointSources fresh = JingleWire.only(JingleTemplates.newOwnSources(endpointId, options.simulcast(), rnd), media);
            for (String m : List.of("audio", "video")) {
                if ((media == null || media.equals(m)) && mine.sources().stream().anyMatch(x -> m.equals(x.media()))) {
                    fresh = fresh.minus(JingleWire.only(fresh, m));
                }
            }
            if (fresh.isEmpty()) {
                return JingleWire.notSent("already has those sources");
            }
            own = mine.plus(fresh);
            if (s == null) {
                return JingleWire.notSent("no session (added locally)");
            }
            return send(jingleIq("source-add", s, null, JingleTemplates.sourcesInner(fresh, ownerAttr())), "source-add");
        });
    }

    /**
     * Occupant {@code endpoint} left the room: drop its sources from the view, as lib-jitsi-meet drops a leaver's
     * tracks on the MUC leave (Jicofo sends no source-remove for a leaver).
     */
    void occupantLeft(String endpoint) {
        run(() -> {
            if (remote.containsKey(endpoint)) {
                Map<String, EndpointSources> m = new LinkedHashMap<>(remote);
                m.remove(endpoint);
                remote = Collections.unmodifiableMap(m);
                log.info("Sim participant {}: {} left the room; dropped its sources", endpointId, endpoint);
            }
        });
    }

    /** The call ended on our side (left the room): forget the session. */
    void leave() {
        run(this::clearSession);
    }

    void close() {
        control.shutdownNow();
    }


    private String ownerAttr() {
        return options.signalOwner() ? occupantJid.get() : null;
    }

    private RawIQ jingleIq(String action, JingleSession s, String responder, String inner) {
        RawIQ iq = new RawIQ("jingle", JINGLE_NS, JingleTemplates.attrs(action, s.initiator(), responder, s.sid()), inner);
        iq.setType(IQ.Type.set);
        try {
            iq.setTo(JidCreate.from(s.focus()));
        } catch (org.jxmpp.stringprep.XmppStringprepException e) {
            throw new IllegalStateException("bad focus JID " + s.focus(), e);
        }
        return iq;
    }

    private CompletableFuture<JingleReply> send(IQ iq, String what) {
        CompletableFuture<JingleReply> f = new CompletableFuture<>();
        try {
            connection.sendIqRequestAsync(iq, REPLY_TIMEOUT_MS)
                    .onSuccess(r -> f.complete(new JingleReply("result", null, null)))
                    .onError(e -> f.complete(JingleWire.failure(e)));
        } catch (RuntimeException e) {
            log.warn("Sim participant {}: could not send {}: {}", endpointId, what, e.toString());
            f.complete(new JingleReply("not-sent", null, e.toString()));
        }
        return f;
    }



    private void ack(IQ iq, JingleOptions o) {
        if (o.neverAnswer()) {
            return;
        }
        reply(IQ.createResultIQ(iq));
    }

    /**
     * An error reply built by hand (Smack's createErrorResponse mangles requests it did not parse) and without a
     * child element: an echoed empty {@code <jingle/>} would make a Jingle provider at the focus choke on it.
     */
    private void refuse(IQ iq, StanzaError.Condition condition, String text, String jingleError, JingleOptions o) {
        refused.incrementAndGet();
        log.warn("Sim participant {}: refusing Jingle from {}: {} ({})", endpointId, iq.getFrom(), condition, text);
        if (o.neverAnswer()) {
            return;
        }
        reply(JingleWire.errorReply(iq, condition, text, jingleError));
    }

    private void reply(IQ iq) {
        try {
            connection.sendStanza(iq);
        } catch (Exception e) {
            log.warn("Sim participant {}: could not reply to {}: {}", endpointId, iq.getTo(), e.toString());
        }
    }

    // ------------------------------------------------------------------ the control thread

    private void run(Runnable r) {
        try {
            control.execute(() -> {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    log.warn("Sim participant {}: Jingle handling failed: {}", endpointId, e.toString(), e);
                }
            });
        } catch (RejectedExecutionException e) {
            log.debug("Sim participant {} closed; dropping Jingle work", endpointId);
        }
    }

    private CompletableFuture<JingleReply> call(Supplier<CompletableFuture<JingleReply>> task) {
        CompletableFuture<JingleReply> out = new CompletableFuture<>();
        try {
            control.execute(() -> {
                try {
                    task.get().whenComplete((r, e) -> {
                        if (e != null) {
                            out.complete(new JingleReply("not-sent", null, e.toString()));
                        } else {
                            out.complete(r);
                        }
                    });
                } catch (RuntimeException e) {
                    out.complete(new JingleReply("not-sent", null, e.toString()));
                }
            });
        } catch (RejectedExecutionException e) {
            out.complete(new JingleReply("not-sent", null, "participant closed"));
        }
        return out;
    }
}
