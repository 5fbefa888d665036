package io.focus.sim.participant;

import java.io.IOException;
import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.X509TrustManager;

import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.ConnectionListener;
import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.filter.AndFilter;
import org.jivesoftware.smack.filter.FromMatchesFilter;
import org.jivesoftware.smack.filter.StanzaIdFilter;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.PresenceBuilder;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Element;

import io.focus.sim.prosody.ProsodyServer;
import io.focus.sim.xml.RawExtension;
import io.focus.sim.xml.RawIqConnection;
import io.focus.sim.xml.RawIQ;
import io.focus.sim.xml.Stanzas;
import io.focus.sim.xml.Xml;

/**
 * A simulated Jitsi Meet participant: logs in (anonymously on {@code guest.<domain>} or as a user on
 * {@code <domain>}), asks the focus for a conference, joins the conference room with its region in the presence,
 * and leaves. Its endpoint id is its MUC nick.
 *
 * <p>It speaks Jingle with the focus as a Jitsi Meet client does ({@link JingleOptions}): it acks and answers
 * {@code session-initiate} with {@code session-accept} (own transport and sources), applies {@code source-add} /
 * {@code source-remove} (XML or JSON) to its view of the call, drops the session on {@code session-terminate},
 * answers {@code transport-replace} with {@code transport-accept}, and can report ICE failure, request a restart and
 * remove or add its own sources. Jingle IQs are read from their text ({@link RawIqConnection}), never through a
 * JVM-global provider.
 *
 * <p>Connection trouble, as a client: with {@link #rejoinAfterConnectionLoss} it logs in again after its connection
 * drops, asks the focus for the conference again (until it is ready) and joins the room again under the same
 * endpoint id, with no Jingle session (the old one went with the connection). It counts the times the focus left the
 * room ({@link #focusLeftCount}): lib-jitsi-meet takes that as a failed conference (FOCUS_LEFT) and jitsi-meet then
 * leaves and reloads the page 10 to 30 s later, which comes back under a new endpoint id: a new SimParticipant.
 */
public final class SimParticipant implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SimParticipant.class);
    public static final String FOCUS_NS = "http://jitsi.org/protocol/focus";
    /** The owner of the bridge's own (feedback) sources in the remote view. */
    public static final String BRIDGE_OWNER = "jvb";

    private final XMPPTCPConnection connection;
    private final String endpointId;
    private final String region;
    private final JingleAgent jingle;
    private volatile String room;
    private final AtomicInteger focusLeft = new AtomicInteger();
    private final Rejoiner rejoiner;

    private SimParticipant(XMPPTCPConnection connection, String endpointId, String region, JingleOptions options) {
        this.connection = connection;
        this.endpointId = endpointId;
        this.region = region;
        this.jingle = new JingleAgent(connection, endpointId, this::occupantJid, options);
        this.rejoiner = new Rejoiner(this);
        connection.addAsyncStanzaListener(this::onPresence, StanzaTypeFilter.PRESENCE);
        connection.addConnectionListener(new ConnectionListener() {
            @Override
            public void connectionClosedOnError(Exception e) {
                onConnectionLost(e);
            }
        });
    }

    private void onPresence(Stanza st) {
        String r = room;
        Jid from = st.getFrom();
        if (r == null || from == null || !(st instanceof Presence p) || p.getType() != Presence.Type.unavailable
                || !from.asBareJid().toString().equalsIgnoreCase(r) || from.getResourceOrNull() == null) {
            return;
        }
        String nick = from.getResourceOrNull().toString();
        if (FOCUS_NICK.equals(nick)) {
            focusLeft.incrementAndGet();
            log.info("Sim participant {}: the focus left {} (a stock client fails the conference: FOCUS_LEFT)",
                    endpointId, r);
        } else if (!nick.equals(endpointId)) {
            jingle.occupantLeft(nick);
        }
    }

    /** The focus's nick in conference rooms. */
    static final String FOCUS_NICK = "focus";

    /** How many times the focus left the room this participant is in. */
    public int focusLeftCount() { return focusLeft.get(); }

    /** How many times it logged in again and rejoined its room after its connection dropped. */
    public int rejoinCount() { return rejoiner.count(); }

    /**
     * From now on, when its connection drops while it is in a room, it waits {@code delay}, logs in again (retrying
     * every 100 ms for up to 60 s while the server is away), asks {@code focusJid} for the conference until the answer
     * is ready, and joins the room again under the same endpoint id ({@link Rejoiner}). Its Jingle session is gone
     * with the connection.
     */
    public SimParticipant rejoinAfterConnectionLoss(String focusJid, Duration delay) {
        rejoiner.enable(focusJid, delay);
        return this;
    }

    private void onConnectionLost(Exception e) {
        String r = room;
        if (r != null && rejoiner.enabled()) {
            jingle.leave();
            rejoiner.connectionLost(r, e);
        }
    }

    /** Logs in anonymously on {@code guest.<domain>} of a test server. */
    public static SimParticipant anonymous(ProsodyServer server, String endpointId, String region) {
        return anonymous(server, endpointId, region, JingleOptions.defaults());
    }

    /** Logs in anonymously on {@code guest.<domain>} of a test server, with the given Jingle behaviour. */
    public static SimParticipant anonymous(ProsodyServer server, String endpointId, String region, JingleOptions options) {
        return connect(server.host(), server.port(), server.guestDomain(), null, null, server.options().tls(), endpointId,
                region, options);
    }

    /** Logs in as {@code user@<domain>} of a test server. */
    public static SimParticipant user(ProsodyServer server, String user, String password, String endpointId, String region) {
        return connect(server.host(), server.port(), server.domain(), user, password, server.options().tls(), endpointId, region);
    }

    /**
     * Connects to any server. {@code user} null means SASL ANONYMOUS on {@code xmppDomain}. {@code endpointId} null
     * picks 8 random hex digits (as Jitsi Meet does).
     */
    public static SimParticipant connect(String host, int port, String xmppDomain, String user, String password,
                                         boolean tls, String endpointId, String region) {
        return connect(host, port, xmppDomain, user, password, tls, endpointId, region, JingleOptions.defaults());
    }

    /** As {@link #connect(String, int, String, String, String, boolean, String, String)}, with Jingle options. */
    public static SimParticipant connect(String host, int port, String xmppDomain, String user, String password,
                                         boolean tls, String endpointId, String region, JingleOptions options) {
        String ep = endpointId != null ? endpointId : String.format("%08x", ThreadLocalRandom.current().nextInt());
        try {
            XMPPTCPConnectionConfiguration.Builder b = XMPPTCPConnectionConfiguration.builder()
                    .setXmppDomain(xmppDomain)
                    .setHostAddress(InetAddress.getByName(host))
                    .setPort(port)
                    .setConnectTimeout(10_000)
                    .setSendPresence(false);
            if (user != null) {
                b.setUsernameAndPassword(user, password).setResource("web-" + ep);
            } else {
                b.performSaslAnonymousAuthentication();
            }
            if (tls) {
                b.setSecurityMode(SecurityMode.required).setCustomX509TrustManager(TRUST_ALL).setHostnameVerifier((h, s) -> true);
            } else {
                b.setSecurityMode(SecurityMode.disabled);
            }
            XMPPTCPConnection c = new RawIqConnection(b.build(), Set.of(new RawIqConnection.Child("jingle", JingleCodec.JINGLE_NS)));
            c.setUseStreamManagement(false);
            // handlers and disco features are in place before the server routes anything to us
            SimParticipant p = new SimParticipant(c, ep, region, options);
            try {
                c.connect().login();
            } catch (Exception e) {
                p.jingle.close();
                throw e;
            }
            log.info("Sim participant {} logged in as {}", ep, c.getUser());
            return p;
        } catch (Exception e) {
            throw new IllegalStateException("participant " + ep + " could not log in to " + host + ":" + port + ": " + e, e);
        }
    }

    public String endpointId() { return endpointId; }
    public String region() { return region; }
    public String jid() { return String.valueOf(connection.getUser()); }
    public XMPPTCPConnection connection() { return connection; }
    /** The room joined, or null. */
    public String room() { return room; }
    /** {@code room@conference/endpointId} while in a room, else the endpoint id. */
    public String occupantJid() {
        String r = room;
        return r == null ? endpointId : r + "/" + endpointId;
    }

    // ------------------------------------------------------------------ Jingle

    public JingleOptions jingleOptions() { return jingle.options(); }

    /**
     * Changes the Jingle behaviour. The json-encoded-sources feature is what disco#info answers from now on; the
     * entity caps of presences already sent do not change, so set it before {@link #join}.
     */
    public void jingleOptions(JingleOptions options) { jingle.options(options); }

    /** The current Jingle session with the focus, or null (none yet, terminated, or left). */
    public JingleSession session() { return jingle.session(); }

    /** The participant's view of the call: owner endpoint id ({@code jvb} for the bridge's own) → its SSRCs. */
    public Map<String, Set<Long>> remoteSources() { return jingle.remoteSources(); }

    /** The endpoints whose sources this participant has now (its remote view without the bridge's own {@code jvb}). */
    public Set<String> seenEndpoints() {
        Set<String> s = new TreeSet<>(jingle.remoteSources().keySet());
        s.remove(BRIDGE_OWNER);
        return Collections.unmodifiableSet(s);
    }

    /**
     * Whether this participant is in a complete call with {@code others} (itself, if listed, is ignored): it has a
     * Jingle session the focus accepted, its remote view holds every SSRC of each other participant's
     * {@link #ownSources()} under that participant's endpoint id, and it holds sources of no one else (no leavers,
     * no sources without owner). A session-terminate clears the view; a new session-initiate fills it again.
     */
    public boolean callComplete(Collection<SimParticipant> others) {
        return callProblems(others).isEmpty();
    }

    /** What keeps {@link #callComplete} false, one line per problem (empty when complete); for assertion messages. */
    public List<String> callProblems(Collection<SimParticipant> others) {
        List<String> problems = new ArrayList<>();
        JingleSession s = session();
        if (s == null || !s.accepted()) {
            problems.add(endpointId + ": no accepted Jingle session (" + (s == null ? "none" : s.state()) + ")");
        }
        Map<String, Set<Long>> view = remoteSources();
        Set<String> ids = new TreeSet<>();
        for (SimParticipant o : others) {
            if (o.endpointId().equals(endpointId)) {
                continue;
            }
            ids.add(o.endpointId());
            Set<Long> missing = new TreeSet<>(o.ownSources().ssrcs());
            missing.removeAll(view.getOrDefault(o.endpointId(), Set.of()));
            if (!missing.isEmpty()) {
                problems.add(endpointId + ": lacks " + missing + " of " + o.endpointId());
            }
        }
        for (String owner : view.keySet()) {
            if (!owner.equals(BRIDGE_OWNER) && !ids.contains(owner)) {
                problems.add(endpointId + ": still has sources of " + owner + " " + view.get(owner));
            }
        }
        return problems;
    }

    /** The view of the call with names, msids and SSRC groups. */
    public Map<String, EndpointSources> remoteSourceDetails() { return jingle.remoteSourceDetails(); }

    /** The sources this participant sends (in session-accept and later source-add/remove). */
    public EndpointSources ownSources() { return jingle.ownSources(); }

    /** How many session-initiates started a session. */
    public int sessionsStarted() { return jingle.sessionsStarted(); }

    /** How many Jingle IQs were refused as bad input (unparseable, unknown session, unsupported action). */
    public int jingleRefused() { return jingle.refused(); }

    /** The Jingle IQs received, as {@code "action sid"}, in order. */
    public List<String> jingleReceived() { return jingle.received(); }

    /** The reason ({@code "success moving"}) of the last session-terminate from the focus, or null. */
    public String lastTerminateReason() { return jingle.lastTerminateReason(); }

    /** Sends session-accept for the current offer (needed only with {@code autoAccept} off). */
    public CompletableFuture<JingleReply> accept() { return jingle.accept(); }

    /** Sends {@code session-info} with {@code <ice-state>failed</ice-state>} and the current bridge session id. */
    public CompletableFuture<JingleReply> reportIceFailed() { return jingle.reportIceFailed(); }

    /**
     * Sends {@code session-terminate} (reason connectivity-error, "ICE FAILED") with
     * {@code <bridge-session id restart='true'>}, as Jitsi Meet does when ICE restarts are exhausted, and drops the
     * session; the focus is expected to send a new session-initiate.
     */
    public CompletableFuture<JingleReply> requestRestart() { return jingle.terminate("connectivity-error", "ICE FAILED", true); }

    /** Sends {@code session-terminate} with any reason and drops the session. */
    public CompletableFuture<JingleReply> terminate(String reason, String text, boolean restart) {
        return jingle.terminate(reason, text, restart);
    }

    /** Sends {@code source-remove} for the own sources of {@code media} ({@code audio}, {@code video}; null = all). */
    public CompletableFuture<JingleReply> removeOwnSources(String media) { return jingle.removeOwnSources(media); }

    /** Sends {@code source-add} with fresh own sources of {@code media} it does not have (null = all missing ones). */
    public CompletableFuture<JingleReply> addOwnSources(String media) { return jingle.addOwnSources(media); }

    /**
     * Sends {@code <conference xmlns='http://jitsi.org/protocol/focus' room=...><property name value/>...</conference>}
     * (IQ set) to {@code focusJid} and returns the parsed reply (or a {@code timeout} reply).
     */
    public FocusReply requestConference(String focusJid, String roomJid, Map<String, String> properties, Duration timeout) {
        StringBuilder inner = new StringBuilder();
        if (properties != null) {
            properties.forEach((k, v) -> inner.append("<property name='").append(Xml.esc(k)).append("' value='")
                    .append(Xml.esc(v)).append("'/>"));
        }
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put("room", roomJid);
        attrs.put("machine-uid", "sim-" + endpointId);
        RawIQ iq = new RawIQ("conference", FOCUS_NS, attrs, inner.toString());
        iq.setType(IQ.Type.set);
        try {
            iq.setTo(JidCreate.from(focusJid));
            try (StanzaCollector col = connection.createStanzaCollectorAndSend(new StanzaIdFilter(iq.getStanzaId()), iq)) {
                Stanza reply = col.nextResult(timeout.toMillis());
                if (reply == null) {
                    return new FocusReply("timeout", Map.of(), Map.of(), null, null);
                }
                return parseReply((IQ) reply);
            }
        } catch (Exception e) {
            throw new IllegalStateException(endpointId + ": conference request failed: " + e, e);
        }
    }

    static FocusReply parseReply(IQ reply) {
        String xml = Stanzas.xml(reply);
        if (reply.getType() == IQ.Type.error) {
            String cond = reply.getError() != null ? reply.getError().getCondition().toString() : null;
            return new FocusReply("error", Map.of(), Map.of(), cond, xml);
        }
        String child = Stanzas.childXml(reply);
        if (child == null) {
            return new FocusReply(reply.getType().toString(), Map.of(), Map.of(), null, xml);
        }
        Element conf = Xml.parse(child);
        Map<String, String> props = new LinkedHashMap<>();
        for (Element p : Xml.children(conf, "property")) {
            props.put(p.getAttribute("name"), p.getAttribute("value"));
        }
        return new FocusReply(reply.getType().toString(), Xml.attributes(conf), props, null, xml);
    }

    /**
     * The extensions of the MUC join presence, as the recorded lib-jitsi-meet client sent them (a-013 of real-call):
     * {@code <x xmlns='http://jabber.org/protocol/muc'/>}, {@code <stats-id>}, {@code <SourceInfo>{}</SourceInfo>}
     * and {@code <jitsi_participant_codecList>}, plus {@code <jitsi_participant_region>} when a region is set (a
     * client of a deployment with regions). No nick and no legacy audio/video-muted elements, as the recorded client.
     */
    static List<RawExtension> joinExtensions(String endpointId, String region) {
        List<RawExtension> l = new ArrayList<>();
        l.add(new RawExtension("x", "http://jabber.org/protocol/muc", "<x xmlns='http://jabber.org/protocol/muc'/>"));
        if (region != null) {
            l.add(new RawExtension("jitsi_participant_region", "jabber:client",
                    "<jitsi_participant_region xmlns='jabber:client'>" + Xml.esc(region) + "</jitsi_participant_region>"));
        }
        l.add(new RawExtension("stats-id", "jabber:client", "<stats-id xmlns='jabber:client'>" + Xml.esc(endpointId) + "-stats</stats-id>"));
        l.add(new RawExtension("SourceInfo", "jabber:client", "<SourceInfo xmlns='jabber:client'>{}</SourceInfo>"));
        l.add(new RawExtension("jitsi_participant_codecList", "jabber:client",
                "<jitsi_participant_codecList xmlns='jabber:client'>vp8</jitsi_participant_codecList>"));
        return l;
    }

    /**
     * Joins {@code roomJid} as {@code endpointId} with the presence of {@link #joinExtensions}; waits for the room's answer.
     */
    public void join(String roomJid) {
        try {
            Jid occupant = JidCreate.from(roomJid + "/" + endpointId);
            PresenceBuilder pb = connection.getStanzaFactory().buildPresenceStanza().to(occupant);
            joinExtensions(endpointId, region).forEach(pb::addExtension);
            try (StanzaCollector col = connection.createStanzaCollectorAndSend(
                    new AndFilter(StanzaTypeFilter.PRESENCE, FromMatchesFilter.createFull(occupant)), pb.build())) {
                Stanza reply = col.nextResult(10_000);
                if (reply == null) {
                    throw new IOException("no answer from " + roomJid);
                }
                if (reply.getError() != null) {
                    throw new IOException("could not join " + roomJid + ": " + reply.getError());
                }
            }
            room = roomJid;
            log.info("Sim participant {} joined {} (region {})", endpointId, roomJid, region);
        } catch (Exception e) {
            throw new IllegalStateException(endpointId + ": join failed: " + e, e);
        }
    }

    /** Leaves the room (unavailable presence), staying connected. */
    public void leave() {
        String r = room;
        if (r == null) {
            return;
        }
        try {
            connection.sendStanza(connection.getStanzaFactory().buildPresenceStanza().ofType(Presence.Type.unavailable)
                    .to(JidCreate.from(r + "/" + endpointId)).build());
            room = null;
            jingle.leave();
            log.info("Sim participant {} left {}", endpointId, r);
        } catch (Exception e) {
            throw new IllegalStateException(endpointId + ": leave failed: " + e, e);
        }
    }

    /** Leaves and disconnects. */
    @Override
    public void close() {
        rejoiner.close();
        try {
            if (connection.isConnected()) {
                leave();
            }
        } finally {
            jingle.close();
            connection.disconnect();
        }
    }

    @Override
    public String toString() {
        return "SimParticipant[" + endpointId + " " + jid() + " region=" + region + " room=" + room + "]";
    }

    private static final X509TrustManager TRUST_ALL = new X509TrustManager() {
        @Override public void checkClientTrusted(X509Certificate[] c, String a) { }
        @Override public void checkServerTrusted(X509Certificate[] c, String a) { }
        @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
    };
}
