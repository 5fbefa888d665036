package io.focus.conference.signalling;

import io.focus.core.colibri.DtlsFingerprint;
import io.focus.core.colibri.IceUdpTransport;
import io.focus.conference.Allocation;
import io.focus.conference.ConferenceControl;
import io.focus.conference.ConferenceView;
import io.focus.conference.ParticipantSignaller;
import io.focus.conference.ParticipantView;
import io.focus.core.jingle.BridgeSession;
import io.focus.core.jingle.ConferenceSources;
import io.focus.core.jingle.EndpointSources;
import io.focus.core.jingle.JingleIQ;
import io.focus.core.jingle.JingleOffers;
import io.focus.core.jingle.JingleReason;
import io.focus.core.jingle.OfferOptions;
import io.focus.core.jingle.SourceValidator;
import io.prometheus.client.CollectorRegistry;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import org.jivesoftware.smack.packet.IQ;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Jingle signalling of every participant, as Jicofo does it: the offer ({@code session-initiate} with the bridge's
 * transport, its feedback sources, everyone else's sources and the {@code bridge-session}), the participant's answer
 * ({@code session-accept}: its transport and sources go to its bridge and relays, its sources to everyone else as
 * {@code source-add}), source changes, re-signalling on moves ({@code RestartJingle} or {@code ReplaceTransport}),
 * client-reported ICE failures and restart requests (rate-limited), and offers nobody answers (re-offered a bounded
 * number of times, then the participant is taken off its bridge).
 *
 * <p>Threading: all state is owned by the conference control thread. The {@link ParticipantSignaller} methods are
 * called there; {@link #handleRequest} (from the {@link JingleIqHandler}, on a Smack thread) only posts to it; replies
 * from participants and discovery results are posted to it as well. Nothing here blocks.
 *
 * <p>What each participant was told is tracked ({@link ToldSources}); after every change the difference to what it
 * should know (every other participant's accepted sources in the {@link SourceBook}, first simulcast layer only when
 * {@code strip-simulcast}) is sent as {@code source-remove} then {@code source-add}: once the control-thread work
 * already queued is done ({@link SourceUpdates#syncSoon}), with at most one update in flight per participant. A participant whose
 * offer is not yet accepted is brought up to date right after it accepts. A participant that is moved keeps its
 * sources in everyone's view (see {@link #onMoving}).
 */
public final class JingleSignaller implements ParticipantSignaller {
    private static final Logger log = LoggerFactory.getLogger(JingleSignaller.class);
    public static final String JSON_SOURCES_FEATURE = "http://jitsi.org/json-encoded-sources";

    private final SignallingLink link;
    private final FeatureDiscovery discovery;
    private final SourceUpdates updates;
    private final ParticipantRequests requests;
    /** Room JID → its signalling state. Control thread only. */
    private final Map<String, SignalledConference> conferences = new HashMap<>();

    /**
     * @param offers builds the IQs (from {@code CodecSettings})
     * @param validator {@code max-ssrcs-per-user} and friends ({@code JingleSettings})
     * @param sender the client connection ({@link XmppJingleSender})
     * @param discovery participants' features ({@link XmppFeatureDiscovery}, or {@link FeatureDiscovery#NONE})
     * @param clock for the restart rate limits
     * @param registry where the counters go
     */
    public JingleSignaller(JingleOffers offers, SourceValidator validator, SignallingSettings settings,
                           JingleSender sender, FeatureDiscovery discovery, Clock clock, CollectorRegistry registry) {
        this.link = new SignallingLink(Objects.requireNonNull(offers, "offers"),
                Objects.requireNonNull(settings, "settings"), Objects.requireNonNull(sender, "sender"),
                Objects.requireNonNull(clock, "clock"), new SignallingMetrics(registry));
        this.discovery = Objects.requireNonNull(discovery, "discovery");
        this.updates = new SourceUpdates(link);
        this.requests = new ParticipantRequests(link, Objects.requireNonNull(validator, "validator"), updates,
                conferences, this);
    }

    @Override public void attach(ConferenceControl c) {
        link.attach(c);
    }

    public SignallingSettings settings() { return link.settings; }


    // ---------------------------------------------------------------------------------------------------------
    // ParticipantSignaller (control thread)

    @Override public CompletionStage<Void> onPlaced(ConferenceView conference, ParticipantView participant,
                                                    Allocation allocation) {
        SignalledConference c = conferences.computeIfAbsent(conference.roomJid(), r -> new SignalledConference(r, link.settings.stripSimulcast()));
        SignalledPeer p = c.peers.computeIfAbsent(participant.id(), id -> new SignalledPeer(id, new RestartLimiter(link.settings)));
        if (!Objects.equals(p.occupantJid, participant.occupantJid())) {
            p.occupantJid = participant.occupantJid();
            p.jid = parseJid(p.occupantJid);
        }
        p.allocation = allocation;
        long gen = ++p.gen;
        p.cancelOfferTimer();
        p.supersede();
        CompletableFuture<Void> placed = new CompletableFuture<>();
        p.placed = placed;
        p.offersSent = 0;
        if (p.jid == null) {
            log.error("{} cannot signal: bad occupant JID {}", SignallingLink.tag(c, p), p.occupantJid);
            placed.completeExceptionally(new IllegalStateException("bad occupant JID " + p.occupantJid));
            return placed;
        }
        if (allocation == null || allocation.transport() == null || allocation.transport().iceUdp() == null) {
            log.error("{} cannot signal: the allocation on {} has no ICE transport", SignallingLink.tag(c, p),
                    allocation == null ? null : allocation.bridgeNick());
            placed.completeExceptionally(new IllegalStateException("allocation without a transport"));
            return placed;
        }
        if (p.features == null) {
            CompletableFuture<Set<String>> f;
            try {
                f = discovery.features(p.occupantJid, participant.capsNode());
            } catch (RuntimeException e) {
                f = CompletableFuture.completedFuture(Set.of());
            }
            f.whenComplete((features, e) -> link.control().execute(() -> {
                if (p.features == null) {
                    p.features = features == null ? Set.of() : features;
                }
                if (!c.ended && c.peers.get(p.id) == p && p.gen == gen) {
                    offer(c, p, false);
                }
            }));
        } else {
            offer(c, p, false);
        }
        return placed;
    }

    /**
     * RestartJingle: the participant's session ends at once ({@code session-terminate}, reason success "moving"); its
     * next offer comes with {@link #onPlaced} once it has a new place, and carries every other participant's
     * accepted sources, the other movers' included.
     *
     * <p>Unlike Jicofo, the others are <em>not</em> sent a {@code source-remove} for the mover: its sources stay in
     * the {@link SourceBook} and in everyone's view. A move changes the bridge under the participant, not its
     * membership of the call: the others' views stay complete (a simulated client, or any client that keeps its
     * SSRCs, needs no source update for the move at all), and a mover's new offer is not missing the movers that
     * are re-placed at the same time (in Jicofo's recording, sequence d, the first re-offer after the bridge
     * crash carried no participant at all, and the views were completed by source-adds after each accept). A
     * client that does pick new SSRCs for its new session (lib-jitsi-meet builds a new peer connection; the
     * recording shows new SSRCs under the same source names) changes its sources in its {@code session-accept}:
     * the others then get one {@code source-remove} of the old SSRCs and one {@code source-add} of the new ones,
     * the same two stanzas Jicofo sends, but at the accept rather than at the move. A participant that leaves or
     * is released is still removed at once ({@link #onRemoved}); one that gets no new offer within
     * {@code focus.jingle.offer-timeout} (no bridge for it) is removed then.
     */
    @Override public void onMoving(ConferenceView conference, ParticipantView participant, String fromBridgeId,
                                   String reason) {
        SignalledConference c = conferences.get(conference.roomJid());
        SignalledPeer p = c == null ? null : c.peers.get(participant.id());
        if (p == null) {
            return;
        }
        p.unplace();
        if (link.settings.reinviteMethod() == SignallingSettings.ReinviteMethod.REPLACE_TRANSPORT
                && p.state == SessionState.ACTIVE) {
            log.info("{} moving off {} ({}): transport-replace once it has a new place", SignallingLink.tag(c, p),
                    nick(fromBridgeId), reason);
            return;
        }
        if (p.hasSession()) {
            log.info("{} moving off {} ({}): session-terminate (moving); its sources stay in the others' views",
                    SignallingLink.tag(c, p), nick(fromBridgeId), reason);
            link.send(c, p, JingleOffers.sessionTerminateMoving(p.jid, p.sid));
            p.state = SessionState.NONE;
        }
        p.told.forget();
        awaitNewPlace(c, p);
    }

    /** A participant without a session keeps its sources in the others' views until its next offer, for a while. */
    void awaitNewPlace(SignalledConference c, SignalledPeer p) {
        long gen = p.gen;
        p.offerTimer = link.control().schedule(() -> {
            if (c.ended || c.peers.get(p.id) != p || p.gen != gen || p.hasSession()) {
                return;
            }
            p.offerTimer = null;
            if (SourceUpdates.dropSources(c, p)) {
                log.info("{} not re-placed within {}: removing its sources from the others", SignallingLink.tag(c, p),
                        link.settings.offerTimeout());
                updates.syncSoon(c);
            }
        }, link.settings.offerTimeout());
    }

    @Override public void onRemoved(ConferenceView conference, ParticipantView participant, boolean left) {
        SignalledConference c = conferences.get(conference.roomJid());
        SignalledPeer p = c == null ? null : c.peers.get(participant.id());
        if (p == null) {
            return;
        }
        p.unplace();
        if (!left && p.hasSession()) {
            link.send(c, p, JingleOffers.sessionTerminate(p.jid, p.sid, new JingleReason(JingleReason.SUCCESS, null),
                    null));
        }
        p.state = SessionState.NONE;
        p.told.forget();
        if (left) {
            c.peers.remove(p.id);
        }
        if (SourceUpdates.dropSources(c, p)) {
            log.info("{} {}: removing its sources from the others", SignallingLink.tag(c, p), left ? "left" : "lost its place");
        }
        updates.syncSoon(c);
    }

    /**
     * The client's end of the session is gone (its connection was: the server restarted, or it rejoined from a new
     * connection): no {@code session-terminate} (the new client does not know the session; the old one is gone), the
     * features are asked again (a new client may differ), and its sources stay in the others' views until its next
     * offer, as for a move ({@link #awaitNewPlace}).
     */
    @Override public void onSessionLost(ConferenceView conference, ParticipantView participant) {
        SignalledConference c = conferences.get(conference.roomJid());
        SignalledPeer p = c == null ? null : c.peers.get(participant.id());
        if (p == null) {
            return;
        }
        p.unplace();
        if (p.hasSession()) {
            log.info("{} its client's session {} is gone: forgetting it (no terminate); its sources stay in the others' "
                    + "views until its next offer", SignallingLink.tag(c, p), p.sid);
        }
        p.state = SessionState.NONE;
        p.told.forget();
        p.features = null;
        awaitNewPlace(c, p);
    }

    @Override public void onEnded(ConferenceView conference) {
        SignalledConference c = conferences.remove(conference.roomJid());
        if (c == null) {
            return;
        }
        c.ended = true;
        for (SignalledPeer p : c.peers.values()) {
            p.unplace();
            p.told.forget();
        }
        c.peers.clear();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Offers

    /**
     * Sends the participant its place: a transport-replace on its active session (ReplaceTransport), else a fresh
     * session-initiate (terminating a session it still has).
     */
    private void offer(SignalledConference c, SignalledPeer p, boolean forceInitiate) {
        Allocation a = p.allocation;
        if (a == null) {
            return;
        }
        p.json = link.settings.useJsonEncodedSources() && p.features != null && p.features.contains(JSON_SOURCES_FEATURE);
        ConferenceSources view = c.book.viewFor(p.id);
        ConferenceSources offered = ConferenceSources.of(ConferenceSources.BRIDGE_OWNER,
                EndpointSources.fromBridgeFeedback(a.feedbackSources()));
        for (Map.Entry<String, EndpointSources> e : view.byOwner().entrySet()) {
            offered = offered.with(e.getKey(), e.getValue());
        }
        boolean replace = !forceInitiate && p.state == SessionState.ACTIVE
                && link.settings.reinviteMethod() == SignallingSettings.ReinviteMethod.REPLACE_TRANSPORT;
        if (!replace && p.hasSession()) {
            link.send(c, p, JingleOffers.sessionTerminate(p.jid, p.sid, new JingleReason(JingleReason.SUCCESS, "re-invite"),
                    null));
        }
        String sid = replace ? p.sid : newSid();
        JingleOffers.Offer o = new JingleOffers.Offer(p.jid, sid, link.sender.localJid(), forOffer(a.transport().iceUdp()),
                a.sctpPort(), offered, BridgeSession.of(a.bridgeSessionId(), a.bridgeRegion()),
                OfferOptions.DEFAULT.withSctp(a.sctpPort() != null), p.json, List.of());
        JingleIQ iq = replace ? link.offers.transportReplace(o) : link.offers.sessionInitiate(o);
        if (p.sid != null && !p.sid.equals(sid)) {
            p.oldSids.addLast(p.sid);
            if (p.oldSids.size() > 8) {
                p.oldSids.removeFirst();
            }
        }
        p.sid = sid;
        p.state = replace ? SessionState.REPLACING : SessionState.OFFERED;
        p.told.offered(view);
        p.offersSent++;
        log.info("{} {} #{} on {} (bridge-session {}, {} other participant(s), {} sources)", SignallingLink.tag(c, p),
                iq.actionName(), p.offersSent, a.bridgeNick(), a.bridgeSessionId(), view.owners().size(),
                p.json ? "json" : "xml");
        link.send(c, p, iq);
        long gen = p.gen;
        p.offerTimer = link.control().schedule(() -> onOfferTimeout(c, p, gen), link.settings.offerTimeout());
    }

    /**
     * The bridge's transport as offered to a participant. Jicofo's offers mark the bridge's DTLS fingerprint
     * {@code required="false" cryptex="false"} (the bridge's Colibri2 answer carries neither; see the captured
     * {@code jingle-session-initiate.xml}); the focus does the same, keeping any value the bridge did give.
     */
    static IceUdpTransport forOffer(IceUdpTransport t) {
        if (t.fingerprints().stream().allMatch(f -> f.required() != null && f.cryptex() != null)) {
            return t;
        }
        IceUdpTransport.Builder b = t.toBuilder().clearFingerprints();
        for (DtlsFingerprint f : t.fingerprints()) {
            b.fingerprint(new DtlsFingerprint(f.hash(), f.setup(), f.required() != null ? f.required() : Boolean.FALSE,
                    f.cryptex() != null ? f.cryptex() : Boolean.FALSE, f.fingerprint()));
        }
        return b.build();
    }

    /** A fresh session-initiate for a participant whose transport-replace was rejected. */
    void offerAgain(SignalledConference c, SignalledPeer p) {
        offer(c, p, true);
    }

    private void onOfferTimeout(SignalledConference c, SignalledPeer p, long gen) {
        if (c.ended || c.peers.get(p.id) != p || p.gen != gen
                || (p.state != SessionState.OFFERED && p.state != SessionState.REPLACING)) {
            return;
        }
        p.offerTimer = null;
        link.metrics.offerTimeouts.inc();
        if (p.offersSent <= link.settings.maxReinvites()) {
            log.warn("{} no answer to offer #{} within {}; offering again", SignallingLink.tag(c, p), p.offersSent,
                    link.settings.offerTimeout());
            offer(c, p, true);
            return;
        }
        log.warn("{} no answer to {} offer(s) within {} each; taking it off its bridge", SignallingLink.tag(c, p), p.offersSent,
                link.settings.offerTimeout());
        link.metrics.givenUp.inc();
        link.send(c, p, JingleOffers.sessionTerminate(p.jid, p.sid, new JingleReason(JingleReason.TIMEOUT, null), null));
        p.state = SessionState.NONE;
        p.told.forget();
        p.gen++;
        p.supersede();
        if (SourceUpdates.dropSources(c, p)) {
            updates.syncSoon(c);
        }
        link.control().releaseParticipant(c.room, p.id, "no session-accept after " + p.offersSent + " offer(s)");
    }

    // ---------------------------------------------------------------------------------------------------------
    // Requests from participants

    /** Any thread (the IQ handler's): posts the request to the control thread, which answers it. */
    public void handleRequest(JingleIQ iq) {
        requests.handle(iq);
    }

    private static String newSid() {
        StringBuilder b = new StringBuilder(13);
        ThreadLocalRandom r = ThreadLocalRandom.current();
        for (int i = 0; i < 13; i++) {
            b.append(Character.forDigit(r.nextInt(36), 36));
        }
        return b.toString();
    }

    private static Jid parseJid(String s) {
        try {
            return s == null ? null : JidCreate.from(s);
        } catch (Exception e) {
            return null;
        }
    }

    private static String nick(String bridgeId) {
        if (bridgeId == null) {
            return null;
        }
        int slash = bridgeId.indexOf('/');
        return slash < 0 ? bridgeId : bridgeId.substring(slash + 1);
    }

    // ---------------------------------------------------------------------------------------------------------
    // For tests and the debug API (control thread)

    /** The accepted sources of the room's participants, or null for an unknown room. */
    public ConferenceSources sources(String roomJid) {
        SignalledConference c = conferences.get(roomJid);
        return c == null ? null : c.book.all();
    }
}
