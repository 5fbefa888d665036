package io.focus.conference;

import io.focus.core.loop.EventLoops;
import io.focus.core.loop.ExecutorEventLoop;
import io.focus.core.xmpp.connection.IqRequester;

import static org.awaitility.Awaitility.await;

import io.focus.core.bridge.BridgeState;
import io.focus.core.jingle.CodecSettings;
import io.focus.core.jingle.JingleOffers;
import io.focus.core.jingle.JingleSettings;
import io.focus.core.jingle.OfferOptions;
import io.focus.core.jingle.SourceValidator;
import io.focus.conference.signalling.JingleIqHandler;
import io.focus.conference.signalling.JingleSignaller;
import io.focus.conference.signalling.SignallingSettings;
import io.focus.conference.signalling.XmppFeatureDiscovery;
import io.focus.conference.signalling.XmppJingleSender;
import io.focus.core.providers.FocusProviders;
import io.focus.sim.bridge.SimBridge;
import io.focus.sim.bridge.SimBridgeOptions;
import io.focus.sim.participant.SimParticipant;
import io.focus.sim.prosody.ProsodyExtension;
import io.focus.sim.prosody.ProsodyServer;
import io.prometheus.client.CollectorRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.muc.MultiUserChatManager;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;

/**
 * A focus on a real Prosody, for the XMPP integration tests: the focus connection (logged in, in the brewery so that
 * Colibri2 IQs can reach the bridges' occupant JIDs), a {@link ConferenceManager} with the real
 * {@link XmppColibriBackend} and {@link MucConferenceRoom}s, the {@link ConferenceIqHandler} and, with
 * {@link #startWithJingle}, the {@link JingleSignaller} and {@link JingleIqHandler}. The bridge registry and the
 * selector are the unit-test fakes ({@link FakeBridges}, {@link TestSelector}): a test drives bridge events exactly as
 * the registry would. {@link #close()} tears down the participants, the handlers, the manager, the bridges and the
 * connection, in that order.
 */
final class XmppFocusHarness implements AutoCloseable {
    final ProsodyServer server;
    final XMPPTCPConnection focus;
    final ExecutorService io = Executors.newFixedThreadPool(2);
    final EventLoops loops = EventLoops.unregistered();
    final ExecutorEventLoop loop = loops.create("xmpp-test-loop");
    /** The focus connection's requests (as its connection manager would own them). */
    final IqRequester requests;
    final FakeBridges bridges = new FakeBridges();
    final CollectorRegistry registry = new CollectorRegistry();
    final Map<String, SimBridge> sims = new LinkedHashMap<>();
    final ConferenceManager manager;
    private final ConferenceIqHandler conferenceHandler;
    private final JingleIqHandler jingleHandler;
    private final List<Runnable> participants = new ArrayList<>();

    private XmppFocusHarness(ProsodyServer server, UnaryOperator<ConferenceSettings> settings,
            SignallingSettings signalling) throws Exception {
        this.server = server;
        FocusProviders.registerAll();
        focus = new XMPPTCPConnection(server.connectionConfig(ProsodyExtension.FOCUS_USER, server.authDomain(),
                ProsodyExtension.FOCUS_PASSWORD, "focus").build());
        requests = IqRequester.open(focus, "client", loops);
        ConferenceManager started = null;
        try {
            focus.connect().login();
            MultiUserChatManager.getInstanceFor(focus)
                    .getMultiUserChat(JidCreate.entityBareFrom(server.breweryJid())).join(Resourcepart.from("focus"));
            ConferenceManager.Builder b = ConferenceManager.builder()
                    .settings(settings.apply(ConferenceSettings.defaults(server.conferenceMucDomain())))
                    .bridges(bridges).selector(new TestSelector())
                    .rooms(MucConferenceRoom.factory(() -> focus, "focus", io))
                    .loop(loop).clock(Clock.systemUTC()).metrics(registry)
                    .signaller(ParticipantSignaller.NONE).feedback(BridgeFeedback.NONE);
            JingleSignaller signaller = null;
            if (signalling == null) {
                b.backend(new XmppColibriBackend(requests, Duration.ofSeconds(3)));
            } else {
                CodecSettings codecs = CodecSettings.defaults();
                signaller = new JingleSignaller(new JingleOffers(codecs),
                        new SourceValidator(JingleSettings.defaults()), signalling,
                        new XmppJingleSender(requests, Duration.ofSeconds(5)),
                        new XmppFeatureDiscovery(requests, signalling.discoTimeout()), Clock.systemUTC(), registry);
                b.backend(new XmppColibriBackend(requests, Duration.ofSeconds(3),
                        codecs.colibriAudio(OfferOptions.DEFAULT), codecs.colibriVideo(OfferOptions.DEFAULT)))
                        .signaller(signaller);
            }
            started = b.build().start();
            conferenceHandler = ConferenceIqHandler.register(started, requests, focusJid());
            jingleHandler = signaller == null ? null : JingleIqHandler.register(signaller, focus);
        } catch (Exception | Error e) {
            // A half-started focus must not outlive the test that could not start it.
            if (started != null) {
                started.close();
            }
            requests.close();
            focus.disconnect();
            loop.close();
            io.shutdownNow();
            throw e;
        }
        manager = started;
    }

    /** The focus with the conference IQ only (no Jingle); {@code settings} adjusts the defaults for the MUC domain. */
    static XmppFocusHarness start(ProsodyServer server, UnaryOperator<ConferenceSettings> settings) throws Exception {
        return new XmppFocusHarness(server, settings, null);
    }

    /** The focus as the app assembles it, signalling Jingle to the participants. */
    static XmppFocusHarness startWithJingle(ProsodyServer server, UnaryOperator<ConferenceSettings> settings,
            SignallingSettings signalling) throws Exception {
        return new XmppFocusHarness(server, settings, signalling);
    }

    /** The focus's bare JID, as the conference IQ reply names it. */
    String focusJid() { return "focus@" + server.authDomain(); }

    /** Where participants send the conference IQ. */
    String focusFullJid() { return focusJid() + "/focus"; }

    String room(String name) { return name + "@" + server.conferenceMucDomain(); }

    /** Starts a simulated bridge in the brewery and publishes it as the registry would (its id is its occupant JID). */
    SimBridge bridge(String nick, double stress, String region) {
        SimBridge b = SimBridge.start(SimBridgeOptions.forServer(server, nick).region(region).relayId(nick)
                .statsInterval(Duration.ofSeconds(1)));
        b.setStress(stress);
        sims.put(nick, b);
        await().atMost(Duration.ofSeconds(10)).until(() -> b.state() == SimBridge.State.JOINED);
        bridges.addExact(BridgeState.builder(b.occupantJid()).nick(nick).region(region).relayId(nick)
                .reportedStress(stress).build());
        return b;
    }

    /** A plain anonymous client connection, logged in; closed with the harness. */
    XMPPTCPConnection anonymousClient() throws Exception {
        XMPPTCPConnection c = new XMPPTCPConnection(server.anonymousConfig().build());
        c.connect().login();
        participants.add(c::disconnect);
        return c;
    }

    /** Keeps a simulated participant to close with the harness. */
    SimParticipant track(SimParticipant p) {
        participants.add(p::close);
        return p;
    }

    /** Endpoint → bridge nick, from the focus's view (empty when the conference does not exist). */
    Map<String, String> placement(String room) {
        ConferenceView v = manager.conference(room);
        Map<String, String> m = new HashMap<>();
        if (v != null) {
            v.placement().forEach((ep, b) -> m.put(ep, BridgeState.nickOf(b)));
        }
        return m;
    }

    @Override
    public void close() {
        participants.forEach(Runnable::run);
        if (jingleHandler != null) {
            jingleHandler.unregister();
        }
        conferenceHandler.unregister();
        manager.close();
        sims.values().forEach(SimBridge::close);
        requests.close();
        focus.disconnect();
        loop.close();
        io.shutdownNow();
    }
}
