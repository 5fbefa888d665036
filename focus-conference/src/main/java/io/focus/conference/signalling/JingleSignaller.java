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
import io.focus.core.jingle.JingleAction;
import io.focus.core.jingle.JingleIQ;
import io.focus.core.jingle.JingleOffers;
import io.focus.core.jingle.JingleReason;
import io.focus.core.jingle.JingleRequestException;
import io.focus.core.jingle.JingleRequests;
import io.focus.core.jingle.OfferOptions;
import io.focus.core.jingle.SourceValidator;
import io.prometheus.client.CollectorRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
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
 * already queued is done ({@link #syncSoon}), with at most one update in flight per participant. A participant whose
 * offer is not yet accepted is brought up to date right after it accepts. A participant that is moved keeps its
 * sources in everyone's view (see {@link #onMoving}).
 */
public final class JingleSignaller implements ParticipantSignaller {
    private static final Logger log = LoggerFactory.getLogger(JingleSignaller.class);
    public static final String JSON_SOURCES_FEATURE = "http://jitsi.org/json-encoded-sources";

    private final JingleOffers offers;
    private final SourceValidator validator;
    private final SignallingSettings settings;
    private final JingleSender sender;
    private final FeatureDiscovery discovery;
    private final Clock clock;
    private final SignallingMetrics metrics;
    private volatile ConferenceControl control;
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
        this.offers = Objects.requireNonNull(offers, "offers");
        this.validator = Objects.requireNonNull(validator, "validator");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.sender = Objects.requireNonNull(sender, "sender");
        this.discovery = Objects.requireNonNull(discovery, "discovery");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.metrics = new SignallingMetrics(registry);
    }

    @Override public void attach(ConferenceControl c) {
        this.control = c;
    }

    public SignallingSettings settings() { return settings; }

    private static String tag(SignalledConference c, SignalledPeer p) {
        return "[room=" + c.room + " participant=" + p.id + "]";
    }

    // ---------------------------------------------------------------------------------------------------------
    // ParticipantSignaller (control thread)

    @Override public CompletionStage<Void> onPlaced(ConferenceView conference, ParticipantView participant,
                                                    Allocation allocation) {
        SignalledConference c = conferences.computeIfAbsent(conference.roomJid(), r -> new SignalledConference(r, settings.stripSimulcast()));
        SignalledPeer p = c.peers.computeIfAbsent(participant.id(), id -> new SignalledPeer(id, new RestartLimiter(settings)));
        if (!Objects.equals(p.occupantJid, participant.occupantJid())) {
            p.occupantJid = participant.occupantJid();
            p.jid = parseJid(p.occupantJid);
        }
        p.allocation = allocation;
        long gen = ++p.gen;
        cancel(p);
        supersede(p);
        CompletableFuture<Void> placed = new CompletableFuture<>();
        p.placed = placed;
        p.offersSent = 0;
        if (p.jid == null) {
            log.error("{} cannot signal: bad occupant JID {}", tag(c, p), p.occupantJid);
            placed.completeExceptionally(new IllegalStateException("bad occupant JID " + p.occupantJid));
            return placed;
        }
        if (allocation == null || allocation.transport() == null || allocation.transport().iceUdp() == null) {
            log.error("{} cannot signal: the allocation on {} has no ICE transport", tag(c, p),
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
            f.whenComplete((features, e) -> control.execute(() -> {
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
        p.gen++;
        cancel(p);
        supersede(p);
        p.allocation = null;
        if (settings.reinviteMethod() == SignallingSettings.ReinviteMethod.REPLACE_TRANSPORT
                && p.state == SessionState.ACTIVE) {
            log.info("{} moving off {} ({}): transport-replace once it has a new place", tag(c, p),
                    nick(fromBridgeId), reason);
            return;
        }
        if (p.hasSession()) {
            log.info("{} moving off {} ({}): session-terminate (moving); its sources stay in the others' views",
                    tag(c, p), nick(fromBridgeId), reason);
            send(c, p, JingleOffers.sessionTerminateMoving(p.jid, p.sid));
            p.state = SessionState.NONE;
        }
        p.told.forget();
        awaitNewPlace(c, p);
    }

    /** A participant without a session keeps its sources in the others' views until its next offer, for a while. */
    private void awaitNewPlace(SignalledConference c, SignalledPeer p) {
        long gen = p.gen;
        p.offerTimer = control.schedule(() -> {
            if (c.ended || c.peers.get(p.id) != p || p.gen != gen || p.hasSession()) {
                return;
            }
            p.offerTimer = null;
            if (dropSources(c, p)) {
                log.info("{} not re-placed within {}: removing its sources from the others", tag(c, p),
                        settings.offerTimeout());
                syncSoon(c);
            }
        }, settings.offerTimeout());
    }

    @Override public void onRemoved(ConferenceView conference, ParticipantView participant, boolean left) {
        SignalledConference c = conferences.get(conference.roomJid());
        SignalledPeer p = c == null ? null : c.peers.get(participant.id());
        if (p == null) {
            return;
        }
        p.gen++;
        cancel(p);
        supersede(p);
        p.allocation = null;
        if (!left && p.hasSession()) {
            send(c, p, JingleOffers.sessionTerminate(p.jid, p.sid, new JingleReason(JingleReason.SUCCESS, null),
                    null));
        }
        p.state = SessionState.NONE;
        p.told.forget();
        if (left) {
            c.peers.remove(p.id);
        }
        if (dropSources(c, p)) {
            log.info("{} {}: removing its sources from the others", tag(c, p), left ? "left" : "lost its place");
        }
        syncSoon(c);
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
        p.gen++;
        cancel(p);
        supersede(p);
        p.allocation = null;
        if (p.hasSession()) {
            log.info("{} its client's session {} is gone: forgetting it (no terminate); its sources stay in the others' "
                    + "views until its next offer", tag(c, p), p.sid);
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
            p.gen++;
            cancel(p);
            supersede(p);
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
        p.json = settings.useJsonEncodedSources() && p.features != null && p.features.contains(JSON_SOURCES_FEATURE);
        ConferenceSources view = c.book.viewFor(p.id);
        ConferenceSources offered = ConferenceSources.of(ConferenceSources.BRIDGE_OWNER,
                EndpointSources.fromBridgeFeedback(a.feedbackSources()));
        for (Map.Entry<String, EndpointSources> e : view.byOwner().entrySet()) {
            offered = offered.with(e.getKey(), e.getValue());
        }
        boolean replace = !forceInitiate && p.state == SessionState.ACTIVE
                && settings.reinviteMethod() == SignallingSettings.ReinviteMethod.REPLACE_TRANSPORT;
        if (!replace && p.hasSession()) {
            send(c, p, JingleOffers.sessionTerminate(p.jid, p.sid, new JingleReason(JingleReason.SUCCESS, "re-invite"),
                    null));
        }
        String sid = replace ? p.sid : newSid();
        JingleOffers.Offer o = new JingleOffers.Offer(p.jid, sid, sender.localJid(), forOffer(a.transport().iceUdp()),
                a.sctpPort(), offered, BridgeSession.of(a.bridgeSessionId(), a.bridgeRegion()),
                OfferOptions.DEFAULT.withSctp(a.sctpPort() != null), p.json, List.of());
        JingleIQ iq = replace ? offers.transportReplace(o) : offers.sessionInitiate(o);
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
        log.info("{} {} #{} on {} (bridge-session {}, {} other participant(s), {} sources)", tag(c, p),
                iq.actionName(), p.offersSent, a.bridgeNick(), a.bridgeSessionId(), view.owners().size(),
                p.json ? "json" : "xml");
        send(c, p, iq);
        long gen = p.gen;
        p.offerTimer = control.schedule(() -> onOfferTimeout(c, p, gen), settings.offerTimeout());
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

    private void onOfferTimeout(SignalledConference c, SignalledPeer p, long gen) {
        if (c.ended || c.peers.get(p.id) != p || p.gen != gen
                || (p.state != SessionState.OFFERED && p.state != SessionState.REPLACING)) {
            return;
        }
        p.offerTimer = null;
        metrics.offerTimeouts.inc();
        if (p.offersSent <= settings.maxReinvites()) {
            log.warn("{} no answer to offer #{} within {}; offering again", tag(c, p), p.offersSent,
                    settings.offerTimeout());
            offer(c, p, true);
            return;
        }
        log.warn("{} no answer to {} offer(s) within {} each; taking it off its bridge", tag(c, p), p.offersSent,
                settings.offerTimeout());
        metrics.givenUp.inc();
        send(c, p, JingleOffers.sessionTerminate(p.jid, p.sid, new JingleReason(JingleReason.TIMEOUT, null), null));
        p.state = SessionState.NONE;
        p.told.forget();
        p.gen++;
        supersede(p);
        if (dropSources(c, p)) {
            syncSoon(c);
        }
        control.releaseParticipant(c.room, p.id, "no session-accept after " + p.offersSent + " offer(s)");
    }

    // ---------------------------------------------------------------------------------------------------------
    // Requests from participants

    /** Any thread (the IQ handler's): posts the request to the control thread, which answers it. */
    public void handleRequest(JingleIQ iq) {
        ConferenceControl c = control;
        if (c == null) {
            sender.reply(IQ.createErrorResponse(iq, StanzaError.getBuilder(StanzaError.Condition.service_unavailable)
                    .setDescriptiveEnText("signalling not started").build()));
            return;
        }
        c.execute(() -> {
            try {
                dispatch(iq);
            } catch (JingleRequestException e) {
                refuse(iq, e);
            } catch (RuntimeException e) {
                log.error("Jingle {} from {} failed", iq.actionName(), iq.getFrom(), e);
                refuse(iq, new JingleRequestException(StanzaError.Condition.internal_server_error, "internal error"));
            }
        });
    }

    private void dispatch(JingleIQ iq) throws JingleRequestException {
        Jid from = iq.getFrom();
        if (from == null || from.getResourceOrNull() == null) {
            throw JingleRequestException.badRequest("a Jingle request must come from a room occupant");
        }
        SignalledConference c = conferences.get(from.asBareJid().toString().toLowerCase());
        SignalledPeer p = c == null ? null : c.peers.get(from.getResourceOrNull().toString());
        if (p == null) {
            throw new JingleRequestException(StanzaError.Condition.item_not_found,
                    "no Jingle session with " + from);
        }
        switch (iq.action()) {
            case SESSION_ACCEPT, TRANSPORT_ACCEPT -> onAccept(c, p, iq);
            case SOURCE_ADD, SOURCE_REMOVE -> onSourceChange(c, p, iq);
            case SESSION_INFO -> onSessionInfo(c, p, iq);
            case SESSION_TERMINATE -> onSessionTerminate(c, p, iq);
            case TRANSPORT_REJECT -> onTransportReject(c, p, iq);
            default -> throw new JingleRequestException(StanzaError.Condition.feature_not_implemented,
                    "unsupported Jingle action " + iq.actionName());
        }
    }

    private void onAccept(SignalledConference c, SignalledPeer p, JingleIQ iq) throws JingleRequestException {
        boolean session = iq.action() == JingleAction.SESSION_ACCEPT;
        if (!iq.sid().equals(p.sid) || !p.hasSession()) {
            if (iq.sid().equals(p.sid) || p.oldSids.contains(iq.sid())) {
                throw new JingleRequestException(StanzaError.Condition.gone,
                        "session " + iq.sid() + " has been replaced");
            }
            throw new JingleRequestException(StanzaError.Condition.item_not_found, "no Jingle session " + iq.sid());
        }
        if (session && p.state != SessionState.OFFERED) {
            throw JingleRequestException.badRequest("session " + p.sid + " is already accepted");
        }
        if (!session && p.state != SessionState.REPLACING) {
            throw JingleRequestException.badRequest("no transport-replace pending on session " + p.sid);
        }
        JingleRequests.Accept a = JingleRequests.accept(iq);
        ConferenceSources after = c.book.all();
        if (session || !a.sources().isEmpty()) {
            after = validator.add(after.without(p.id), p.id, a.sources());
        }
        ok(iq);
        c.book.set(after);
        p.state = SessionState.ACTIVE;
        cancel(p);
        EndpointSources mine = after.get(p.id);
        log.info("{} {} on {}: {} ssrc(s), {} group(s)", tag(c, p), iq.actionName(),
                p.allocation == null ? null : p.allocation.bridgeNick(), mine.ssrcCount(), mine.groupCount());
        if (!control.participantMedia(c.room, p.id, a.transport(), mine.toColibri())) {
            log.warn("{} accepted, but it is not placed: its media was not sent to a bridge", tag(c, p));
        }
        if (p.placed != null) {
            p.placed.complete(null);
        }
        syncSoon(c);
    }

    private void onSourceChange(SignalledConference c, SignalledPeer p, JingleIQ iq) throws JingleRequestException {
        requireLiveSession(p, iq);
        boolean add = iq.action() == JingleAction.SOURCE_ADD;
        EndpointSources change = JingleRequests.sourceChange(iq);
        if (change.isEmpty()) {
            log.info("{} {} without sources: ignored", tag(c, p), iq.actionName());
            ok(iq);
            return;
        }
        ConferenceSources after = add ? validator.add(c.book.all(), p.id, change)
                : validator.remove(c.book.all(), p.id, change);
        ok(iq);
        c.book.set(after);
        EndpointSources mine = after.get(p.id);
        log.info("{} {}: {} ssrc(s) now", tag(c, p), iq.actionName(), mine.ssrcCount());
        control.participantMedia(c.room, p.id, null, mine.toColibri());
        syncSoon(c);
    }

    private void onSessionInfo(SignalledConference c, SignalledPeer p, JingleIQ iq) throws JingleRequestException {
        requireLiveSession(p, iq);
        JingleRequests.SessionInfo info = JingleRequests.sessionInfo(iq);
        if (!info.iceFailed()) {
            ok(iq);
            return;
        }
        metrics.iceFailed.inc();
        requireCurrentBridgeSession(c, p, info.bridgeSessionId());
        if (!p.limiter.tryAcquire(clock.instant())) {
            log.warn("{} ICE failed on bridge-session {}: restart rate-limited", tag(c, p), info.bridgeSessionId());
            throw new JingleRequestException(StanzaError.Condition.resource_constraint, "rate-limited");
        }
        ok(iq);
        restart(c, p, "ICE failed on " + p.allocation.bridgeNick());
    }

    private void onSessionTerminate(SignalledConference c, SignalledPeer p, JingleIQ iq) throws JingleRequestException {
        if (!p.hasSession() || !iq.sid().equals(p.sid)) {
            throw new JingleRequestException(StanzaError.Condition.item_not_found,
                    "jingle session " + iq.sid() + " is no longer active");
        }
        JingleRequests.Terminate t = JingleRequests.terminate(iq);
        boolean restartAllowed = false;
        if (t.restartRequested()) {
            metrics.restartRequested.inc();
            requireCurrentBridgeSession(c, p, t.bridgeSessionId());
            restartAllowed = p.limiter.tryAcquire(clock.instant());
        }
        // The session is over either way.
        String bridge = p.allocation == null ? null : p.allocation.bridgeNick();
        p.state = SessionState.NONE;
        p.told.forget();
        cancel(p);
        if (t.restartRequested() && !restartAllowed) {
            log.warn("{} session-terminate with restart on {}: rate-limited, not re-invited", tag(c, p), bridge);
            refuse(iq, new JingleRequestException(StanzaError.Condition.resource_constraint, "rate-limited"));
        } else {
            ok(iq);
        }
        if (restartAllowed) {
            // A move on the participant's request: its sources stay in the others' views (see onMoving).
            restart(c, p, "restart requested on " + bridge);
            if (!p.hasSession() && p.offerTimer == null) {
                awaitNewPlace(c, p);
            }
        } else {
            if (dropSources(c, p)) {
                syncSoon(c);
            }
            control.releaseParticipant(c.room, p.id, "session-terminate from the participant"
                    + (t.reason() != null ? " (" + t.reason().condition() + ")" : ""));
        }
    }

    private void onTransportReject(SignalledConference c, SignalledPeer p, JingleIQ iq) throws JingleRequestException {
        requireLiveSession(p, iq);
        ok(iq);
        log.warn("{} transport-reject: offering a fresh session instead", tag(c, p));
        if (p.state == SessionState.REPLACING) {
            // A fresh session instead; its sources stay in the others' views (see onMoving).
            offer(c, p, true);
        }
    }

    private void restart(SignalledConference c, SignalledPeer p, String reason) {
        log.info("{} re-placing it: {}", tag(c, p), reason);
        if (!control.restartParticipant(c.room, p.id, reason)) {
            log.info("{} not placed right now; nothing to restart", tag(c, p));
        }
    }

    private static void requireLiveSession(SignalledPeer p, JingleIQ iq) throws JingleRequestException {
        if (!p.live() || !iq.sid().equals(p.sid)) {
            throw new JingleRequestException(StanzaError.Condition.item_not_found,
                    "jingle session " + iq.sid() + " is no longer active");
        }
    }

    private void requireCurrentBridgeSession(SignalledConference c, SignalledPeer p, String id) throws JingleRequestException {
        String current = p.allocation == null ? null : p.allocation.bridgeSessionId();
        if (current == null || !current.equals(id)) {
            log.info("{} refers to bridge-session {} but its current one is {}", tag(c, p), id, current);
            throw new JingleRequestException(StanzaError.Condition.item_not_found,
                    "bridge-session " + id + " is not the current one");
        }
    }

    private void ok(JingleIQ iq) {
        metrics.requests.labels(actionLabel(iq), "result").inc();
        sender.reply(IQ.createResultIQ(iq));
    }

    private void refuse(JingleIQ iq, JingleRequestException e) {
        metrics.requests.labels(actionLabel(iq), e.condition().toString()).inc();
        log.info("Jingle {} from {} refused: {} ({})", iq.actionName(), iq.getFrom(), e.condition(), e.getMessage());
        sender.reply(IQ.createErrorResponse(iq, e.toStanzaError()));
    }

    private static String actionLabel(JingleIQ iq) {
        JingleAction a = iq.action();
        return a == JingleAction.UNKNOWN ? "unknown" : a.wireName();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Keeping everyone's view of the call

    /**
     * Brings everyone up to date once the current control-thread task (and whatever is already queued) is done, so
     * that a burst of changes in one conference (accepts queued while the focus was busy) gives each receiver one
     * source-remove listing every source that went and one source-add listing every source that came, instead of
     * one per change. Beyond that, updates are paced per receiver, not per conference: one update in flight per
     * participant (see {@link ToldSources}), at least {@code focus.jingle.source-update-interval} apart (0 by
     * default). A participant without a live session gets nothing (its next offer carries the room as it is then;
     * an offered one is brought up to date right after it accepts).
     */
    private void syncSoon(SignalledConference c) {
        if (c.syncQueued || c.ended) {
            return;
        }
        c.syncQueued = true;
        control.execute(() -> {
            c.syncQueued = false;
            syncAll(c);
        });
    }

    private void syncAll(SignalledConference c) {
        if (c.ended) {
            return;
        }
        for (SignalledPeer p : c.peers.values()) {
            sync(c, p);
        }
    }

    /** Sends the participant what changed since it was last told (source-remove, then source-add), if it may. */
    private void sync(SignalledConference c, SignalledPeer p) {
        ToldSources t = p.told;
        if (c.ended || !p.live() || t.busy() || t.waiting()) {
            return;
        }
        ConferenceSources now = c.book.viewFor(p.id);
        SourceDiff d = SourceDiff.between(t.told(), now);
        if (d.isEmpty()) {
            return;
        }
        Duration wait = t.waitBefore(clock.instant(), settings.sourceUpdateInterval());
        if (!wait.isZero()) {
            long epoch = t.epoch();
            t.delayed(control.schedule(() -> {
                if (t.epoch() == epoch) {
                    t.timerFired();
                    sync(c, p);
                }
            }, wait));
            return;
        }
        int stanzas = (d.removed().isEmpty() ? 0 : 1) + (d.added().isEmpty() ? 0 : 1);
        t.sent(now, stanzas, clock.instant());
        long epoch = t.epoch();
        if (!d.removed().isEmpty()) {
            send(c, p, offers.sourceRemove(p.jid, p.sid, d.removed(), p.json))
                    .whenComplete((r, e) -> control.execute(() -> answered(c, p, epoch)));
        }
        if (!d.added().isEmpty()) {
            send(c, p, offers.sourceAdd(p.jid, p.sid, d.added(), p.json))
                    .whenComplete((r, e) -> control.execute(() -> answered(c, p, epoch)));
        }
    }

    /** A source update was answered (or failed): the next one may go. */
    private void answered(SignalledConference c, SignalledPeer p, long epoch) {
        if (!c.ended && c.peers.get(p.id) == p && p.told.answered(epoch)) {
            sync(c, p);
        }
    }

    /** @return true when the participant had sources */
    private static boolean dropSources(SignalledConference c, SignalledPeer p) {
        return c.book.drop(p.id);
    }

    /** Sends the IQ; the stage completes with the answer, exceptionally when there was none or an error. */
    private CompletableFuture<IQ> send(SignalledConference c, SignalledPeer p, JingleIQ iq) {
        String action = actionLabel(iq);
        metrics.sent.labels(action).inc();
        CompletableFuture<IQ> f;
        try {
            f = sender.send(iq);
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        return f.whenComplete((reply, e) -> {
            if (e != null) {
                metrics.sendFailures.labels(action).inc();
                log.info("{} {} (sid {}) not acknowledged: {}", tag(c, p), iq.actionName(), iq.sid(), e.toString());
            }
        });
    }

    private static void cancel(SignalledPeer p) {
        if (p.offerTimer != null) {
            p.offerTimer.cancel();
            p.offerTimer = null;
        }
    }

    /** A placement that will not be signalled any more: its stage fails (the conference ignores stale ones). */
    private static void supersede(SignalledPeer p) {
        if (p.placed != null && !p.placed.isDone()) {
            p.placed.completeExceptionally(new CancellationException("superseded"));
        }
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
