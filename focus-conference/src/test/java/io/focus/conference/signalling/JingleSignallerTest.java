package io.focus.conference.signalling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focus.core.colibri.Colibri2Transport;
import io.focus.core.colibri.DtlsFingerprint;
import io.focus.core.colibri.IceUdpTransport;
import io.focus.core.colibri.MediaSource;
import io.focus.core.colibri.Source;
import io.focus.core.colibri.Sources;
import io.focus.core.colibri.SsrcGroup;
import io.focus.conference.Allocation;
import io.focus.conference.ConferenceControl;
import io.focus.conference.ConferenceView;
import io.focus.core.loop.EventLoop;
import io.focus.conference.ParticipantView;
import io.focus.core.jingle.BridgeSession;
import io.focus.core.jingle.CodecSettings;
import io.focus.core.jingle.EndpointSources;
import io.focus.core.jingle.JingleAction;
import io.focus.core.jingle.JingleContent;
import io.focus.core.jingle.JingleIQ;
import io.focus.core.jingle.JingleOffers;
import io.focus.core.jingle.JingleReason;
import io.focus.core.jingle.JingleRequests;
import io.focus.core.jingle.JingleTransport;
import io.focus.core.jingle.RtpDescription;
import io.focus.core.jingle.SourceValidator;
import io.prometheus.client.CollectorRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.jxmpp.jid.impl.JidCreate;
import org.junit.jupiter.api.Test;

/**
 * The signaller at its seams: a recording sender, a fake conference control with a manual loop on a fake clock.
 * Each test plays the participants' Jingle and checks what the focus sent, answered and asked the conference to do.
 */
class JingleSignallerTest {
    static final String ROOM = "room@conference.meet.test";

    final Loop loop = new Loop();
    final Control control = new Control();
    final Sender sender = new Sender();
    final CollectorRegistry registry = new CollectorRegistry();
    final List<ParticipantView> participants = new ArrayList<>();
    JingleSignaller signaller;
    /** Whose features were asked (disco#info), in order. */
    final List<String> discoveries = new ArrayList<>();
    /** The caps node each disco#info was about (null: none), in the same order. */
    final List<String> discoveryNodes = new ArrayList<>();

    /**
     * Most tests check what is sent, not when: source updates go out at once. The batching tests set the interval.
     */
    Duration sourceUpdateInterval = Duration.ZERO;

    void start(SignallingSettings settings, Set<String> jsonParticipants) {
        sender.loopRef = loop;
        signaller = new JingleSignaller(new JingleOffers(CodecSettings.defaults()), new SourceValidator(4, 4),
                settings.withSourceUpdateInterval(sourceUpdateInterval), sender,
                (jid, node) -> {
                    discoveries.add(nickOf(jid));
                    discoveryNodes.add(node);
                    return CompletableFuture.completedFuture(jsonParticipants.contains(nickOf(jid))
                            ? Set.of(JingleSignaller.JSON_SOURCES_FEATURE) : Set.of());
                },
                loop.clock, registry);
        signaller.attach(control);
    }

    void start() {
        start(SignallingSettings.defaults(), Set.of());
    }

    // ---------------------------------------------------------------------------------------------------------

    @Test
    void offerCarriesTheBridgeTransportFeedbackSourcesOthersAndTheBridgeSession() {
        start();
        place("a", "jvb1", "s1");
        accept("a", sources(100, 101));
        place("b", "jvb1", "s1");
        JingleIQ offer = sender.last("b", "session-initiate");
        assertEquals("focus@auth.meet.test/focus", offer.initiator());
        assertEquals(new BridgeSession("s1", "us-east", false), offer.bridgeSession());
        assertEquals("ufrag-b", offer.content("audio").transport().ice().ufrag());
        assertEquals("AB:CD", offer.content("audio").transport().ice().fingerprint().fingerprint());
        assertNotNull(offer.content("data"), "an SCTP port in the allocation gives a data content");
        assertEquals(5000, offer.content("data").transport().sctpMap().number());
        EndpointSources offered = EndpointSources.fromContents(offer.contents());
        assertEquals(Set.of(100L, 101L, 7L, 8L), offered.ssrcs(), "a's sources and the bridge's feedback");
        Set<String> owners = offer.content("audio").description().sources().stream().map(Source::owner)
                .collect(Collectors.toSet());
        assertEquals(Set.of("a", "jvb"), owners);
        assertNull(offer.jsonMessage());
    }

    @Test
    void jsonSourcesForParticipantsThatAdvertiseThem() {
        start(SignallingSettings.defaults(), Set.of("b"));
        place("a", "jvb1", "s1");
        accept("a", sources(100, 101));
        place("b", "jvb1", "s1");
        JingleIQ offer = sender.last("b", "session-initiate");
        assertNotNull(offer.jsonMessage());
        assertTrue(offer.jsonMessage().contains("\"a\""), offer.jsonMessage());
        assertTrue(offer.content("audio").description().sources().isEmpty(), "no XML sources with JSON");
    }

    @Test
    void theFirstOfferToAJsonParticipantCarriesTheBridgesSourcesAsJsonAndSoDoesEveryUpdate() {
        // Nobody else has accepted yet: the bridge's feedback sources are all the offer carries. Without them the
        // offer had no json-message at all, and a reader took it for an XML offer (a-045 in the conformance test).
        start(SignallingSettings.defaults(), Set.of("a"));
        place("a", "jvb1", "s1");
        place("b", "jvb1", "s1");
        JingleIQ offer = sender.last("a", "session-initiate");
        assertNotNull(offer.jsonMessage(), "the bridge's sources, as JSON");
        assertTrue(offer.jsonMessage().contains("\"jvb\""), offer.jsonMessage());
        assertTrue(offer.contents().stream().allMatch(c -> c.description() == null
                || (c.description().sources().isEmpty() && c.description().ssrcGroups().isEmpty())),
                "no XML sources in a JSON offer");
        accept("a", sources(100));
        accept("b", sources(200));
        JingleIQ add = sender.last("a", "source-add");
        assertNotNull(add.jsonMessage());
        assertTrue(add.contents().isEmpty(), "no XML sources in a JSON source-add");
        assertNull(sender.last("b", "source-add").jsonMessage(), "b is told in XML, as its features say");
    }

    @Test
    void featuresAreAskedAboutTheCapsNodeOfThePresence() {
        start();
        ParticipantView a = new ParticipantView("a", ROOM + "/a", null, null, ParticipantView.State.PLACED, null,
                null, false, null, null, 0, Set.of(), Instant.EPOCH, null,
                "https://jitsi.org/jitsi-meet#dtzK/3xhISaXUMVg59IpXxdvKyQ=");
        participants.add(a);
        signaller.onPlaced(view(), a, allocation("a", "jvb1", "s1"));
        place("b", "jvb1", "s1");
        assertEquals(List.of("a", "b"), discoveries);
        assertEquals(java.util.Arrays.asList("https://jitsi.org/jitsi-meet#dtzK/3xhISaXUMVg59IpXxdvKyQ=", null),
                discoveryNodes, "a's caps node; b's presence had none");
    }

    @Test
    void acceptSendsMediaToTheBridgeAndSourcesToEveryoneElse() {
        start();
        CompletionStage<Void> placedA = place("a", "jvb1", "s1");
        place("b", "jvb1", "s1");
        assertFalse(placedA.toCompletableFuture().isDone(), "placed only once the participant accepted");
        IQ reply = accept("a", sources(100, 101));
        assertEquals(IQ.Type.result, reply.getType());
        assertTrue(placedA.toCompletableFuture().isDone());
        assertEquals(List.of("media a ufrag-of-a [100, 101]"), control.calls);
        // b has not accepted yet: it learns about a right after it does.
        assertNull(sender.lastOrNull("b", "source-add"));
        accept("b", sources(200));
        JingleIQ add = sender.last("b", "source-add");
        assertEquals(Set.of(100L, 101L), EndpointSources.fromContents(add.contents()).ssrcs());
        JingleIQ addToA = sender.last("a", "source-add");
        assertEquals(Set.of(200L), EndpointSources.fromContents(addToA.contents()).ssrcs());
        assertEquals(sender.sid("a"), addToA.sid());
    }

    @Test
    void sourceAddAndRemoveUpdateTheBridgeAndTheOthers() {
        start();
        twoAccepted();
        control.calls.clear();
        IQ r = request("a", JingleAction.SOURCE_ADD, sources(102));
        assertEquals(IQ.Type.result, r.getType());
        assertEquals(List.of("media a - [100, 101, 102]"), control.calls);
        assertEquals(Set.of(102L), ssrcs(sender.last("b", "source-add")));
        r = request("a", JingleAction.SOURCE_REMOVE, sources(100));
        assertEquals(IQ.Type.result, r.getType());
        assertEquals(Set.of(100L), ssrcs(sender.last("b", "source-remove")));
        assertEquals("media a - [101, 102]", control.calls.get(control.calls.size() - 1));
    }

    @Test
    void badSourcesAreRefusedAndChangeNothing() {
        start();
        twoAccepted();
        control.calls.clear();
        int sent = sender.sent.size();
        // b's SSRC is taken; too many SSRCs; removing what a never signalled; a group naming an unknown SSRC.
        assertEquals(StanzaError.Condition.bad_request, error(request("a", JingleAction.SOURCE_ADD, sources(200))));
        assertEquals(StanzaError.Condition.bad_request,
                error(request("a", JingleAction.SOURCE_ADD, sources(1, 2, 3))));
        assertEquals(StanzaError.Condition.bad_request,
                error(request("a", JingleAction.SOURCE_REMOVE, sources(999))));
        EndpointSources badGroup = new EndpointSources(List.of(), List.of(new Source(300, "a-v1")), List.of(),
                List.of(new SsrcGroup("FID", List.of(300L, 301L))));
        assertEquals(StanzaError.Condition.bad_request, error(request("a", JingleAction.SOURCE_ADD, badGroup)));
        assertEquals(sent, sender.sent.size(), "nobody was told anything");
        assertEquals(List.of(), control.calls, "no bridge was updated");
        assertEquals(Set.of(100L, 101L), signaller.sources(ROOM).get("a").ssrcs());
        // A session-accept over the limit is refused too, and the offer stays open.
        place("c", "jvb1", "s1");
        assertEquals(StanzaError.Condition.bad_request, error(accept("c", sources(1, 2, 3, 4, 5))));
        assertTrue(signaller.sources(ROOM).get("c").isEmpty(), "c's refused sources were not taken");
        assertEquals(IQ.Type.result, accept("c", sources(1)).getType());
    }

    @Test
    void requestsForUnknownOrOldSessionsAreRefused() {
        start();
        twoAccepted();
        JingleIQ wrongSid = builder(JingleAction.SOURCE_ADD, "nosuchsid", "a").content(content(sources(5))).build();
        assertEquals(StanzaError.Condition.item_not_found, error(handle(wrongSid)));
        JingleIQ stranger = builder(JingleAction.SOURCE_ADD, "x", "zz").content(content(sources(5))).build();
        assertEquals(StanzaError.Condition.item_not_found, error(handle(stranger)));
        JingleIQ unknownAction = builder(JingleAction.TRANSPORT_INFO, sender.sid("a"), "a").build();
        assertEquals(StanzaError.Condition.feature_not_implemented, error(handle(unknownAction)));
        assertEquals(StanzaError.Condition.bad_request, error(accept("a", sources(7777))), "accepted twice");
    }

    @Test
    void iceFailedForTheCurrentBridgeSessionRestartsRateLimited() {
        start();
        twoAccepted();
        assertEquals(StanzaError.Condition.item_not_found, error(iceFailed("a", "stale")));
        assertEquals(List.of(), restarts());
        assertEquals(IQ.Type.result, iceFailed("a", "s1").getType());
        assertEquals(List.of("restart a"), restarts());
        assertEquals(2.0, registry.getSampleValue("jitsi_jicofo_participants_ice_failed_total"));
        // Within min-interval (5 s): refused.
        loop.advance(Duration.ofSeconds(2));
        assertEquals(StanzaError.Condition.resource_constraint, error(iceFailed("a", "s1")));
        // After 5 s each, up to 5 per minute.
        for (int i = 0; i < 4; i++) {
            loop.advance(Duration.ofSeconds(5));
            assertEquals(IQ.Type.result, iceFailed("a", "s1").getType(), "restart " + (i + 2));
        }
        loop.advance(Duration.ofSeconds(5));
        assertEquals(StanzaError.Condition.resource_constraint, error(iceFailed("a", "s1")), "6th in a minute");
        assertEquals(5, restarts().size());
        loop.advance(Duration.ofSeconds(40));
        assertEquals(IQ.Type.result, iceFailed("a", "s1").getType(), "the window moved on");
    }

    @Test
    void inPlaceIceRestartIsRefusedAsJicofoDoesWhenItIsDisabledAndCounted() {
        start();
        twoAccepted();
        JingleIQ ask = builder(JingleAction.SESSION_INFO, sender.sid("a"), "a")
                .bridgeSession(new BridgeSession("s1", null, false, true)).build();
        assertEquals(StanzaError.Condition.feature_not_implemented, error(handle(ask)));
        assertEquals(List.of(), restarts(), "nothing restarted: the client restarts the session itself");
        assertEquals(1.0, registry.getSampleValue("jitsi_jicofo_ice_restarts_requested_total"));
        assertEquals(1.0, registry.getSampleValue("jitsi_jicofo_ice_restarts_failed_total"));
        // a plain session-info (no ice-restart, no failure) is neither
        assertEquals(IQ.Type.result, handle(builder(JingleAction.SESSION_INFO, sender.sid("a"), "a").build()).getType());
        assertEquals(1.0, registry.getSampleValue("jitsi_jicofo_ice_restarts_requested_total"));
    }

    @Test
    void jingleStanzasAreCountedByActionWithJicofosNames() {
        start();
        assertEquals(0.0, registry.getSampleValue("jitsi_jicofo_jingle_session_initiate_sent_total"));
        twoAccepted();
        assertEquals(2.0, registry.getSampleValue("jitsi_jicofo_jingle_session_initiate_sent_total"));
        assertEquals(2.0, registry.getSampleValue("jitsi_jicofo_jingle_session_accept_received_total"));
        assertEquals((double) sender.count("a", "source-add") + sender.count("b", "source-add"),
                registry.getSampleValue("jitsi_jicofo_jingle_source_add_sent_total"));
        assertTrue(registry.getSampleValue("jitsi_jicofo_jingle_source_add_sent_total") > 0);
        request("a", JingleAction.SOURCE_ADD, sources(102));
        assertEquals(1.0, registry.getSampleValue("jitsi_jicofo_jingle_source_add_received_total"));
        // a refused request was received all the same
        iceFailed("a", "stale");
        assertEquals(1.0, registry.getSampleValue("jitsi_jicofo_jingle_session_info_received_total"));
    }

    @Test
    void sessionTerminateWithRestartReinvitesStaleGetsItemNotFound() {
        start();
        twoAccepted();
        JingleIQ stale = builder(JingleAction.SESSION_TERMINATE, sender.sid("a"), "a")
                .bridgeSession(new BridgeSession("old", null, true)).build();
        assertEquals(StanzaError.Condition.item_not_found, error(handle(stale)));
        assertEquals(List.of(), restarts());
        JingleIQ restart = builder(JingleAction.SESSION_TERMINATE, sender.sid("a"), "a")
                .bridgeSession(new BridgeSession("s1", null, true)).build();
        assertEquals(IQ.Type.result, handle(restart).getType());
        assertEquals(List.of("restart a"), restarts());
        assertEquals(0, sender.count("b", "source-remove"), "b keeps a's sources while a is re-placed");
        assertEquals(2.0, registry.getSampleValue("jitsi_jicofo_participants_restart_requested_total"),
                "counted like Jicofo: every restart request, the stale one too");
    }

    @Test
    void restartJingleMoveTerminatesAndOffersAFreshSessionWithTheOthersKept() {
        start();
        twoAccepted();
        String oldSid = sender.sid("a");
        int toB = sender.to("b").size();
        signaller.onMoving(view(), pv("a"), "jvbbrewery@internal.auth.meet.test/jvb1", "bridge failed");
        JingleIQ term = sender.last("a", "session-terminate");
        assertEquals(JingleReason.MOVING, term.reason());
        assertEquals(oldSid, term.sid());
        loop.runPending();
        assertEquals(toB, sender.to("b").size(), "b keeps a's sources: a move is not a leave");
        CompletionStage<Void> moved = place("a", "jvb2", "s2");
        JingleIQ offer = sender.last("a", "session-initiate");
        assertNotEquals(oldSid, offer.sid());
        assertEquals("s2", offer.bridgeSession().id());
        assertEquals(Set.of(200L, 7L, 8L), EndpointSources.fromContents(offer.contents()).ssrcs());
        // A late accept of the old session is refused with gone.
        assertEquals(StanzaError.Condition.gone, error(handle(builder(JingleAction.SESSION_ACCEPT, oldSid, "a")
                .content(content(sources(100))).build())));
        assertFalse(moved.toCompletableFuture().isDone());
        accept("a", sources(100, 101));
        assertTrue(moved.toCompletableFuture().isDone(), "the move completes with the accept");
        assertEquals(toB, sender.to("b").size(), "same SSRCs: nothing to tell b");
        assertEquals(Set.of(100L, 101L), viewOf("b"));
        assertEquals(Set.of(200L), viewOf("a"));
    }

    @Test
    void aMoveOffersEachMoverEveryoneElseAndNoViewLosesAnyone() {
        start();
        for (String id : List.of("a", "b", "c", "d")) {
            place(id, "jvb1", "s1");
        }
        accept("a", sources(100));
        accept("b", sources(200));
        accept("c", sources(300));
        accept("d", sources(400));
        int sentBefore = sender.sent.size();
        // A bridge failure: a, b and c move in one control-thread task; d stays (it is on another bridge).
        for (String id : List.of("a", "b", "c")) {
            signaller.onMoving(view(), pv(id), "jvbbrewery@internal.auth.meet.test/jvb1", "bridge failed");
        }
        loop.runPending();
        List<String> afterMove = sender.sent.subList(sentBefore, sender.sent.size()).stream()
                .map(i -> nickOf(i.getTo().toString()) + " " + i.actionName()).toList();
        assertEquals(List.of("a session-terminate", "b session-terminate", "c session-terminate"), afterMove,
                "the movers' sessions end at once; nobody is told to remove anything");
        // The new places come back one by one; each new offer carries everyone else, the other movers included.
        place("b", "jvb2", "s2");
        assertEquals(Set.of(100L, 300L, 400L, 7L, 8L), offered("b"));
        place("a", "jvb2", "s2");
        assertEquals(Set.of(200L, 300L, 400L, 7L, 8L), offered("a"));
        place("c", "jvb2", "s2");
        assertEquals(Set.of(100L, 200L, 400L, 7L, 8L), offered("c"));
        accept("b", sources(200));
        accept("c", sources(300));
        accept("a", sources(100));
        List<JingleIQ> updates = sender.sent.subList(sentBefore, sender.sent.size()).stream()
                .filter(i -> i.actionName().startsWith("source-")).toList();
        assertEquals(List.of(), updates, "same SSRCs after the move: no source update to anyone");
        assertEquals(Set.of(200L, 300L, 400L), viewOf("a"));
        assertEquals(Set.of(100L, 300L, 400L), viewOf("b"));
        assertEquals(Set.of(100L, 200L, 400L), viewOf("c"));
        assertEquals(Set.of(100L, 200L, 300L), viewOf("d"));
    }

    @Test
    void moversThatSignalNewSsrcsCostEachOtherOneRemoveAndOneAdd() {
        // lib-jitsi-meet builds a new peer connection for the new session: new SSRCs under the same source names
        // (real-call sequence d). Their accepts are queued together here.
        start();
        for (String id : List.of("a", "b", "c", "d")) {
            place(id, "jvb1", "s1");
        }
        accept("a", sources(100));
        accept("b", sources(200));
        accept("c", sources(300));
        accept("d", sources(400));
        for (String id : List.of("a", "b", "c")) {
            signaller.onMoving(view(), pv(id), "jvbbrewery@internal.auth.meet.test/jvb1", "bridge failed");
        }
        for (String id : List.of("a", "b", "c")) {
            place(id, "jvb2", "s2");
        }
        int sentBefore = sender.sent.size();
        for (String id : List.of("a", "b", "c")) {
            long ssrc = id.equals("a") ? 101 : id.equals("b") ? 201 : 301;
            JingleIQ.Builder b = JingleIQ.builder(JingleAction.SESSION_ACCEPT, sender.sid(id))
                    .responder(ROOM + "/" + id);
            contents(sources(ssrc), transport(id)).forEach(b::content);
            JingleIQ acceptIq = b.build();
            acceptIq.setFrom(jid(ROOM + "/" + id));
            signaller.handleRequest(acceptIq);
        }
        loop.runPending();
        List<String> updates = sender.sent.subList(sentBefore, sender.sent.size()).stream()
                .map(i -> nickOf(i.getTo().toString()) + " " + i.actionName()).toList();
        for (String id : List.of("a", "b", "c", "d")) {
            assertEquals(List.of(id + " source-remove", id + " source-add"),
                    updates.stream().filter(u -> u.startsWith(id + " ")).toList(), id);
        }
        assertEquals(Set.of(100L, 200L, 300L), ssrcs(sender.last("d", "source-remove")));
        assertEquals(Set.of(101L, 201L, 301L), ssrcs(sender.last("d", "source-add")));
        assertEquals(Set.of(201L, 301L, 400L), viewOf("a"));
        assertEquals(Set.of(101L, 201L, 301L), viewOf("d"));
    }

    @Test
    void aMoverIsReOfferedAsSoonAsItHasAPlaceWithoutAskingItsFeaturesAgain() {
        start();
        threeAccepted();
        assertEquals(List.of("a", "b", "c"), discoveries);
        for (String id : List.of("a", "b", "c")) {
            signaller.onMoving(view(), pv(id), "jvbbrewery@internal.auth.meet.test/jvb1", "bridge failed");
        }
        loop.runPending();
        // The places come back in any order; each offer goes out in the same control-thread task.
        for (String id : List.of("c", "a", "b")) {
            int before = sender.count(id, "session-initiate");
            signaller.onPlaced(view(), pv(id), allocation(id, "jvb2", "s2"));
            assertEquals(before + 1, sender.count(id, "session-initiate"), id + " offered at once");
        }
        assertEquals(List.of("a", "b", "c"), discoveries, "features are asked once per participant");
    }

    @Test
    void aMoverWithoutANewPlaceWithinTheOfferTimeoutIsRemovedFromTheOthers() {
        start(SignallingSettings.defaults().withOfferTimeout(Duration.ofSeconds(10), 2), Set.of());
        twoAccepted();
        signaller.onMoving(view(), pv("a"), "jvbbrewery@internal.auth.meet.test/jvb1", "bridge failed");
        loop.advance(Duration.ofSeconds(9));
        assertEquals(0, sender.count("b", "source-remove"));
        loop.advance(Duration.ofSeconds(1));
        assertEquals(Set.of(100L, 101L), ssrcs(sender.last("b", "source-remove")), "no bridge for a: b forgets it");
        assertEquals(Set.of(), viewOf("b"));
        // When it does get a place, its accept announces it again.
        place("a", "jvb2", "s2");
        accept("a", sources(100, 101));
        assertEquals(Set.of(100L, 101L), viewOf("b"));
        assertEquals(0, loop.pendingTimers(), "no timer left behind");
    }

    @Test
    void aLeaveRemovesTheLeaversSourcesFromEveryoneLeft() {
        start();
        threeAccepted();
        int toB = sender.to("b").size();
        int toC = sender.to("c").size();
        signaller.onRemoved(view(), pv("a"), true);
        loop.runPending();
        assertEquals(List.of("source-remove"), sender.to("b").subList(toB, sender.to("b").size()).stream()
                .map(JingleIQ::actionName).toList());
        assertEquals(List.of("source-remove"), sender.to("c").subList(toC, sender.to("c").size()).stream()
                .map(JingleIQ::actionName).toList());
        assertEquals(Set.of(100L, 101L), ssrcs(sender.last("c", "source-remove")));
        assertEquals(Set.of(300L), viewOf("b"));
        assertEquals(Set.of(200L), viewOf("c"));
    }

    @Test
    void aThirdJoinIsAnnouncedToEachOtherOnceRightAfterItsAccept() {
        start();
        twoAccepted();
        place("c", "jvb1", "s1");
        assertEquals(Set.of(100L, 101L, 200L, 7L, 8L), offered("c"), "c's offer carries a and b");
        int toA = sender.to("a").size();
        int toB = sender.to("b").size();
        control.calls.clear();
        accept("c", sources(300, 301)); // runs the control thread's queue, no clock advance
        assertEquals(List.of("source-add"), sender.to("a").subList(toA, sender.to("a").size()).stream()
                .map(JingleIQ::actionName).toList());
        assertEquals(List.of("source-add"), sender.to("b").subList(toB, sender.to("b").size()).stream()
                .map(JingleIQ::actionName).toList());
        assertEquals(Set.of(300L, 301L), ssrcs(sender.last("a", "source-add")));
        assertEquals(Set.of(300L, 301L), ssrcs(sender.last("b", "source-add")));
        assertEquals(0, sender.count("c", "source-add"), "c was offered everything it needs");
        assertEquals(List.of("media c ufrag-of-c [300, 301]"), control.calls);
        IceUdpTransport t = control.transports.get("c");
        assertEquals("participant-password-123", t.pwd());
        assertEquals(List.of("sha-256 active 11:22"), t.fingerprints().stream()
                .map(f -> f.hash() + " " + f.setup() + " " + f.fingerprint()).toList(),
                "the accept's DTLS fingerprint, with its hash and setup, goes to the bridge");
    }

    @Test
    void oneSourceUpdateInFlightPerParticipantTheRestBatchedUntilItIsAnswered() {
        start();
        for (String id : List.of("a", "b", "c", "d")) {
            place(id, "jvb1", "s1");
        }
        accept("a", sources(100));
        sender.holdAnswers = true;
        accept("b", sources(200));
        assertEquals(Set.of(200L), ssrcs(sender.last("a", "source-add")), "the first change goes out at once");
        accept("c", sources(300));
        accept("d", sources(400));
        assertEquals(1, sender.count("a", "source-add"), "a has not answered: c and d wait");
        assertEquals(Set.of(100L), ssrcs(sender.last("b", "source-add")), "b is not held up by a");
        sender.answer("a");
        assertEquals(2, sender.count("a", "source-add"), "answered: the next update goes at once");
        assertEquals(Set.of(300L, 400L), ssrcs(sender.last("a", "source-add")), "one update for both");
        sender.holdAnswers = false;
        sender.answerAll();
        assertEquals(Set.of(200L, 300L, 400L), viewOf("a"));
        assertEquals(Set.of(100L, 300L, 400L), viewOf("b"));
        assertEquals(Set.of(100L, 200L, 400L), viewOf("c"));
        assertEquals(Set.of(100L, 200L, 300L), viewOf("d"));
        // A failed update counts as answered: the participant is not stuck.
        sender.failNext = true;
        request("a", JingleAction.SOURCE_ADD, sources(102));
        request("a", JingleAction.SOURCE_ADD, sources(103));
        assertEquals(Set.of(103L), ssrcs(sender.last("b", "source-add")));
    }

    @Test
    void theSourceUpdateIntervalIsAMinimumGapPerParticipant() {
        sourceUpdateInterval = Duration.ofMillis(500);
        start();
        for (String id : List.of("a", "b", "c", "d")) {
            place(id, "jvb1", "s1");
        }
        accept("a", sources(100));
        accept("b", sources(200));
        assertEquals(1, sender.count("a", "source-add"), "a's first update goes out at once");
        loop.advance(Duration.ofMillis(200));
        accept("c", sources(300));
        assertEquals(1, sender.count("a", "source-add"), "within 500 ms of a's last update: waits");
        assertEquals(1, sender.count("b", "source-add"), "so does b");
        assertEquals(Set.of(100L, 200L), ssrcs(sender.last("c", "source-add")), "c's first update goes at once");
        loop.advance(Duration.ofMillis(299));
        assertEquals(1, sender.count("a", "source-add"));
        accept("d", sources(400));
        loop.advance(Duration.ofMillis(1));
        assertEquals(2, sender.count("a", "source-add"), "one update at the end of the gap");
        assertEquals(Set.of(300L, 400L), ssrcs(sender.last("a", "source-add")));
        assertEquals(Set.of(300L, 400L), ssrcs(sender.last("b", "source-add")));
        assertEquals(1, sender.count("c", "source-add"), "c's gap runs from its own last update");
        loop.advance(Duration.ofMillis(200));
        assertEquals(Set.of(400L), ssrcs(sender.last("c", "source-add")));
        // A change after a quiet period goes out at once.
        loop.advance(Duration.ofSeconds(2));
        request("d", JingleAction.SOURCE_ADD, sources(401));
        assertEquals(3, sender.count("a", "source-add"));
        assertEquals(Set.of(401L), ssrcs(sender.last("a", "source-add")));
        assertEquals(0, loop.pendingTimers(), "no update left scheduled");
    }

    @Test
    void replaceTransportMoveKeepsTheSession() {
        start(SignallingSettings.defaults().withReinviteMethod(SignallingSettings.ReinviteMethod.REPLACE_TRANSPORT),
                Set.of());
        twoAccepted();
        String sid = sender.sid("a");
        int removes = sender.count("b", "source-remove");
        signaller.onMoving(view(), pv("a"), "jvbbrewery@internal.auth.meet.test/jvb1", "bridge failed");
        loop.runPending(); // source updates go out once the control thread's current work is done
        CompletionStage<Void> moved = place("a", "jvb2", "s2");
        JingleIQ replace = sender.last("a", "transport-replace");
        assertEquals(sid, replace.sid());
        assertEquals("ufrag-a", replace.content("audio").transport().ice().ufrag());
        assertNull(sender.lastOrNull("a", "session-terminate"));
        assertEquals(removes, sender.count("b", "source-remove"), "b keeps a's sources");
        JingleIQ ta = builder(JingleAction.TRANSPORT_ACCEPT, sid, "a")
                .content(new JingleContent("audio", "responder", "both", null, JingleTransport.of(transport("a2")),
                        List.of())).build();
        control.calls.clear();
        assertEquals(IQ.Type.result, handle(ta).getType());
        assertTrue(moved.toCompletableFuture().isDone());
        assertEquals(List.of("media a ufrag-of-a2 [100, 101]"), control.calls);
    }

    @Test
    void anUnansweredOfferIsRepeatedThenTheParticipantIsReleased() {
        start(SignallingSettings.defaults().withOfferTimeout(Duration.ofSeconds(10), 2), Set.of());
        place("a", "jvb1", "s1");
        assertEquals(1, sender.count("a", "session-initiate"));
        loop.advance(Duration.ofSeconds(10));
        assertEquals(2, sender.count("a", "session-initiate"));
        loop.advance(Duration.ofSeconds(10));
        assertEquals(3, sender.count("a", "session-initiate"));
        assertEquals(List.of(), control.releases);
        loop.advance(Duration.ofSeconds(10));
        assertEquals(3, sender.count("a", "session-initiate"), "max-reinvites 2: three offers in all");
        assertEquals(List.of("release a"), control.releases);
        assertEquals(0, loop.pendingTimers(), "no timer left behind");
        assertEquals(1.0, registry.getSampleValue("focus_jingle_participants_given_up_total"));
        assertEquals(3.0, registry.getSampleValue("focus_jingle_stanzas_sent_total", new String[] {"action"},
                new String[] {"session-initiate"}));
    }

    @Test
    void anAcceptStopsTheOfferTimer() {
        start(SignallingSettings.defaults().withOfferTimeout(Duration.ofSeconds(10), 2), Set.of());
        place("a", "jvb1", "s1");
        loop.advance(Duration.ofSeconds(5));
        accept("a", sources(1));
        loop.advance(Duration.ofMinutes(2));
        assertEquals(1, sender.count("a", "session-initiate"));
        assertEquals(List.of(), control.releases);
    }

    @Test
    void leavingRemovesTheSourcesFromTheOthers() {
        start();
        twoAccepted();
        signaller.onRemoved(view(), pv("a"), true);
        loop.runPending(); // source updates go out once the control thread's current work is done
        assertEquals(Set.of(100L, 101L), ssrcs(sender.last("b", "source-remove")));
        assertNull(sender.lastOrNull("a", "session-terminate"), "nothing is sent to who left");
        assertEquals(StanzaError.Condition.item_not_found, error(request("a", JingleAction.SOURCE_ADD, sources(9))));
    }

    @Test
    void simulcastIsStrippedForReceiversButNotForTheBridge() {
        start();
        place("a", "jvb1", "s1");
        place("b", "jvb1", "s1");
        accept("b", sources(200));
        EndpointSources sim = new EndpointSources(List.of(new Source(1, "a-a0")),
                List.of(new Source(10, "a-v0"), new Source(11, "a-v0"), new Source(12, "a-v0")), List.of(),
                List.of(new SsrcGroup("SIM", List.of(10L, 11L, 12L))));
        accept("a", sim);
        assertEquals("media a ufrag-of-a [1, 10, 11, 12]", control.calls.get(control.calls.size() - 1));
        assertEquals(Set.of(1L, 10L), ssrcs(sender.last("b", "source-add")));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Helpers

    void threeAccepted() {
        twoAccepted();
        place("c", "jvb1", "s1");
        accept("c", sources(300));
    }

    /** The SSRCs of the participant's latest offer (the others' and the bridge's). */
    Set<Long> offered(String id) {
        return EndpointSources.fromContents(sender.last(id, "session-initiate").contents()).ssrcs();
    }

    /**
     * What the participant knows of the others, replayed from what it was sent: its latest offer (without the
     * bridge's feedback SSRCs 7 and 8), then every source-add and source-remove on that session.
     */
    Set<Long> viewOf(String id) {
        Set<Long> view = new java.util.HashSet<>();
        String sid = null;
        for (JingleIQ iq : sender.to(id)) {
            switch (iq.actionName()) {
                case "session-initiate" -> {
                    sid = iq.sid();
                    view.clear();
                    view.addAll(EndpointSources.fromContents(iq.contents()).ssrcs());
                    view.removeAll(Set.of(7L, 8L));
                }
                case "source-add" -> {
                    assertEquals(sid, iq.sid(), "source-add on the current session");
                    view.addAll(ssrcs(iq));
                }
                case "source-remove" -> {
                    assertEquals(sid, iq.sid(), "source-remove on the current session");
                    assertTrue(view.containsAll(ssrcs(iq)), () -> id + " told to remove what it does not have");
                    view.removeAll(ssrcs(iq));
                }
                default -> { }
            }
        }
        return view;
    }

    static org.jxmpp.jid.Jid jid(String s) {
        try {
            return JidCreate.from(s);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    void twoAccepted() {
        place("a", "jvb1", "s1");
        place("b", "jvb1", "s1");
        accept("a", sources(100, 101));
        accept("b", sources(200));
    }

    List<String> restarts() { return control.restarts; }

    CompletionStage<Void> place(String id, String bridge, String session) {
        ParticipantView p = pv(id);
        if (participants.stream().noneMatch(x -> x.id().equals(id))) {
            participants.add(p);
        }
        CompletionStage<Void> s = signaller.onPlaced(view(), p, allocation(id, bridge, session));
        loop.runPending();
        return s;
    }

    static Allocation allocation(String id, String bridge, String session) {
        return new Allocation("jvbbrewery@internal.auth.meet.test/" + bridge, bridge, "us-east", session,
                Colibri2Transport.of(IceUdpTransport.builder().ufrag("ufrag-" + id).pwd("pwd")
                        .fingerprint(new DtlsFingerprint("sha-256", "actpass", "AB:CD")).build()),
                Sources.of(new MediaSource("audio", "jvb-a0", List.of(new Source(7, "jvb-a0"))),
                        new MediaSource("video", "jvb-v0", List.of(new Source(8, "jvb-v0")))), 5000);
    }

    ParticipantView pv(String id) {
        return new ParticipantView(id, ROOM + "/" + id, null, null, ParticipantView.State.PLACED, null, null, false,
                null, null, 0, Set.of(), Instant.EPOCH, null);
    }

    ConferenceView view() {
        return new ConferenceView(ROOM, "meeting", Instant.EPOCH, true, false, List.copyOf(participants), List.of(),
                false);
    }

    static EndpointSources sources(long... ssrcs) {
        List<Source> audio = new ArrayList<>();
        for (long s : ssrcs) {
            audio.add(new Source(s, "src-" + s));
        }
        return new EndpointSources(audio, List.of(), List.of(), List.of());
    }

    static IceUdpTransport transport(String id) {
        return IceUdpTransport.builder().ufrag("ufrag-of-" + id).pwd("participant-password-123")
                .fingerprint(new DtlsFingerprint("sha-256", "active", "11:22")).build();
    }

    static JingleContent content(EndpointSources s) {
        RtpDescription d = RtpDescription.builder("audio").sources(s.audio()).ssrcGroups(s.audioGroups()).build();
        return JingleContent.sourcesOnly("audio", d);
    }

    static List<JingleContent> contents(EndpointSources s, IceUdpTransport t) {
        List<JingleContent> out = new ArrayList<>();
        RtpDescription a = RtpDescription.builder("audio").sources(s.audio()).ssrcGroups(s.audioGroups()).build();
        RtpDescription v = RtpDescription.builder("video").sources(s.video()).ssrcGroups(s.videoGroups()).build();
        out.add(new JingleContent("audio", "responder", "both", a, t == null ? null : JingleTransport.of(t),
                List.of()));
        out.add(new JingleContent("video", "responder", "both", v, t == null ? null : JingleTransport.of(t),
                List.of()));
        return out;
    }

    JingleIQ.Builder builder(JingleAction action, String sid, String from) {
        lastFrom = from;
        return JingleIQ.builder(action, sid);
    }

    IQ accept(String id, EndpointSources s) {
        JingleIQ.Builder b = JingleIQ.builder(JingleAction.SESSION_ACCEPT, sender.sid(id)).responder(ROOM + "/" + id);
        contents(s, transport(id)).forEach(b::content);
        return handle(b.build(), id);
    }

    IQ request(String id, JingleAction action, EndpointSources s) {
        JingleIQ.Builder b = JingleIQ.builder(action, sender.sid(id));
        contents(s, null).forEach(b::content);
        return handle(b.build(), id);
    }

    IQ iceFailed(String id, String bridgeSession) {
        return handle(JingleIQ.builder(JingleAction.SESSION_INFO, sender.sid(id)).iceState("failed")
                .bridgeSession(BridgeSession.of(bridgeSession, null)).build(), id);
    }

    /** Sends as the participant whose nick is the builder's "from" (the last argument of {@link #builder}). */
    IQ handle(JingleIQ iq) {
        String from = lastFrom;
        return handle(iq, from);
    }

    private String lastFrom;

    IQ handle(JingleIQ iq, String from) {
        try {
            iq.setFrom(JidCreate.from(ROOM + "/" + from));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        int before = sender.replies.size();
        signaller.handleRequest(iq);
        loop.runPending();
        assertEquals(before + 1, sender.replies.size(), "exactly one answer");
        return sender.replies.get(sender.replies.size() - 1);
    }

    static StanzaError.Condition error(IQ reply) {
        assertEquals(IQ.Type.error, reply.getType(), () -> "expected an error, got " + reply.toXML());
        return reply.getError().getCondition();
    }

    static Set<Long> ssrcs(JingleIQ iq) {
        try {
            return JingleRequests.sources(iq).ssrcs();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static String nickOf(String jid) {
        return jid.substring(jid.indexOf('/') + 1);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Fakes

    final class Control implements ConferenceControl {
        final List<String> calls = new ArrayList<>();
        final List<String> restarts = new ArrayList<>();
        final List<String> releases = new ArrayList<>();
        final java.util.Map<String, IceUdpTransport> transports = new java.util.HashMap<>();

        @Override public void execute(Runnable task) { loop.execute(task); }
        @Override public EventLoop.Cancellable schedule(Runnable task, Duration delay) {
            return loop.schedule(task, delay);
        }
        @Override public ConferenceView conference(String roomJid) { return view(); }

        @Override public boolean participantMedia(String room, String id, IceUdpTransport t, Sources s) {
            calls.add("media " + id + " " + (t == null ? "-" : t.ufrag()) + " " + s.ssrcs());
            if (t != null) {
                transports.put(id, t);
            }
            return true;
        }

        @Override public boolean restartParticipant(String room, String id, String reason) {
            restarts.add("restart " + id);
            return true;
        }

        @Override public boolean releaseParticipant(String room, String id, String reason) {
            releases.add("release " + id);
            signaller.onRemoved(view(), pv(id), false);
            return true;
        }
    }

    static final class Sender implements JingleSender {
        final List<JingleIQ> sent = new ArrayList<>();
        final List<IQ> replies = new ArrayList<>();

        @Override public String localJid() { return "focus@auth.meet.test/focus"; }

        /** While set, requests stay unanswered until {@link #answer} or {@link #answerAll}. */
        boolean holdAnswers;
        /** The next request gets an error instead of a result. */
        boolean failNext;
        final List<Object[]> unanswered = new ArrayList<>();

        @Override public CompletableFuture<IQ> send(JingleIQ request) {
            sent.add(request);
            if (failNext) {
                failNext = false;
                return CompletableFuture.failedFuture(new IllegalStateException("no answer"));
            }
            if (holdAnswers) {
                CompletableFuture<IQ> f = new CompletableFuture<>();
                unanswered.add(new Object[] {request, f});
                return f;
            }
            return CompletableFuture.completedFuture(IQ.createResultIQ(request));
        }

        /** Answers every held request to the participant, then runs what that queued. */
        @SuppressWarnings("unchecked")
        void answer(String nick) {
            for (Object[] u : List.copyOf(unanswered)) {
                JingleIQ r = (JingleIQ) u[0];
                if (nick == null || r.getTo().toString().equals(ROOM + "/" + nick)) {
                    unanswered.remove(u);
                    ((CompletableFuture<IQ>) u[1]).complete(IQ.createResultIQ(r));
                }
            }
            loopRef.runPending();
        }

        void answerAll() { answer(null); }

        Loop loopRef;

        @Override public void reply(IQ response) { replies.add(response); }

        List<JingleIQ> to(String nick) {
            return sent.stream().filter(i -> i.getTo().toString().equals(ROOM + "/" + nick)).toList();
        }

        JingleIQ lastOrNull(String nick, String action) {
            List<JingleIQ> l = to(nick).stream().filter(i -> i.actionName().equals(action)).toList();
            return l.isEmpty() ? null : l.get(l.size() - 1);
        }

        JingleIQ last(String nick, String action) {
            JingleIQ iq = lastOrNull(nick, action);
            assertNotNull(iq, "no " + action + " to " + nick + " in " + to(nick).stream()
                    .map(JingleIQ::actionName).toList());
            return iq;
        }

        int count(String nick, String action) {
            return (int) to(nick).stream().filter(i -> i.actionName().equals(action)).count();
        }

        /** The sid of the participant's latest offer. */
        String sid(String nick) {
            for (int i = sent.size() - 1; i >= 0; i--) {
                JingleIQ iq = sent.get(i);
                if (iq.getTo().toString().equals(ROOM + "/" + nick)
                        && (iq.action() == JingleAction.SESSION_INITIATE
                        || iq.action() == JingleAction.TRANSPORT_REPLACE)) {
                    return iq.sid();
                }
            }
            return "none";
        }
    }

    /** A manual event loop on a fake clock. */
    static final class Loop implements EventLoop {
        final FakeClock clock = new FakeClock();
        private final Deque<Runnable> queue = new ArrayDeque<>();
        private final List<Object[]> timers = new ArrayList<>();
        private long seq;

        @Override public void execute(Runnable task) { queue.addLast(task); }

        @Override public Cancellable schedule(Runnable task, Duration delay) {
            Object[] t = {clock.instant().plus(delay), seq++, task, Boolean.FALSE};
            timers.add(t);
            return () -> t[3] = Boolean.TRUE;
        }

        void runPending() {
            Runnable r;
            while ((r = queue.pollFirst()) != null) {
                r.run();
            }
        }

        void advance(Duration d) {
            Instant end = clock.instant().plus(d);
            runPending();
            while (true) {
                Object[] next = timers.stream().filter(t -> t[3] == Boolean.FALSE && !((Instant) t[0]).isAfter(end))
                        .min(Comparator.comparing((Object[] t) -> (Instant) t[0]).thenComparing(t -> (Long) t[1]))
                        .orElse(null);
                if (next == null) {
                    break;
                }
                timers.remove(next);
                clock.now = (Instant) next[0];
                ((Runnable) next[2]).run();
                runPending();
            }
            clock.now = end;
        }

        int pendingTimers() {
            return (int) timers.stream().filter(t -> t[3] == Boolean.FALSE).count();
        }
    }

    static final class FakeClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override public ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }
}
