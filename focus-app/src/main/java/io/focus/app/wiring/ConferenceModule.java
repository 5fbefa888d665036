package io.focus.app.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.name.Named;
import com.typesafe.config.Config;
import io.focus.app.admin.PinRegistry;
import io.focus.conference.ColibriDeadlineWatch;
import io.focus.conference.ConferenceManager;
import io.focus.conference.ConferenceRoomFactory;
import io.focus.conference.ConferenceSettings;
import io.focus.conference.AllocationJournal;
import io.focus.conference.ConferenceStateStore;
import io.focus.conference.MucConferenceRoom;
import io.focus.conference.RecoverySettings;
import io.focus.conference.XmppColibriBackend;
import io.focus.conference.signalling.FeatureDiscovery;
import io.focus.conference.signalling.JingleSender;
import io.focus.conference.signalling.JingleSignaller;
import io.focus.conference.signalling.SignallingSettings;
import io.focus.conference.signalling.XmppFeatureDiscovery;
import io.focus.conference.signalling.XmppJingleSender;
import io.focus.core.bridge.RoundTrips;
import io.focus.core.jingle.CodecSettings;
import io.focus.core.jingle.JingleOffers;
import io.focus.core.jingle.JingleSettings;
import io.focus.core.jingle.OfferOptions;
import io.focus.core.jingle.SourceValidator;
import io.focus.core.loop.EventLoops;
import io.focus.core.loop.ExecutorEventLoop;
import io.focus.health.registry.BridgeRegistry;
import io.focus.health.registry.SuspectSettings;
import io.prometheus.client.CollectorRegistry;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

/**
 * The collaborators of the conferences, each made once from its typed settings and its dependencies: the Colibri2
 * backend (on the service connection, watched for the bridges' silence), the Jingle signaller (on the client
 * connection), the MUC rooms, the {@link ConferenceManager}, the state store, and the threads they run on.
 *
 * <p>Nothing here is started or stopped: {@link FocusConferences}, the managed service, receives these and owns their
 * lifecycle (the loops and the room pool are closed by its {@code stop}, after the conferences ended). The registry
 * and its settings come from {@link WiringModule}, which installs this module.
 */
public final class ConferenceModule extends AbstractModule {
    /** Every conference's loop. */
    public static final String CONFERENCES_LOOP = "focus-conferences";
    /** Runs the Colibri2 deadlines ({@link ColibriDeadlineWatch}). */
    public static final String DEADLINES_LOOP = "focus-colibri-deadlines";
    /** Saves the conferences for a restarted focus ({@link ConferenceStateStore}). */
    public static final String STATE_LOOP = "focus-state";
    /** The blocking MUC joins and leaves (a plain pool: no state). */
    public static final String ROOMS_POOL = "focus-rooms";
    static final int ROOM_THREADS = 4;
    /** Joins, leaves and presence updates waiting for a room thread: far above any backlog (a full pool is a bug). */
    static final int ROOM_TASKS = 10_000;
    /** The focus's nick in every conference room. */
    static final String FOCUS_NICK = "focus";

    // ---------------------------------------------------------------- typed settings, read once

    @Provides @Singleton
    ConferenceServiceSettings serviceSettings(Config config) { return ConferenceServiceSettings.fromConfig(config); }

    @Provides @Singleton
    ConferenceSettings conferenceSettings(Config config) { return ConferenceSettings.fromConfig(config); }

    @Provides @Singleton
    RecoverySettings recoverySettings(Config config) { return RecoverySettings.fromConfig(config); }

    @Provides @Singleton
    CodecSettings codecSettings(Config config) { return CodecSettings.fromConfig(config); }

    @Provides @Singleton
    JingleSettings jingleSettings(Config config) { return JingleSettings.fromConfig(config); }

    @Provides @Singleton
    SignallingSettings signallingSettings(Config config) { return SignallingSettings.fromConfig(config); }

    // ---------------------------------------------------------------- threads (closed by FocusConferences.stop)

    @Provides @Singleton @Named(CONFERENCES_LOOP)
    ExecutorEventLoop conferencesLoop(EventLoops loops) { return loops.create(CONFERENCES_LOOP); }

    @Provides @Singleton @Named(DEADLINES_LOOP)
    ExecutorEventLoop deadlinesLoop(EventLoops loops) { return loops.create(DEADLINES_LOOP); }

    @Provides @Singleton @Named(STATE_LOOP)
    ExecutorEventLoop stateLoop(EventLoops loops) { return loops.create(STATE_LOOP); }

    @Provides @Singleton @Named(ROOMS_POOL)
    ExecutorService roomsPool(EventLoops loops) {
        return loops.pool(ROOMS_POOL, ROOM_THREADS, ROOM_TASKS);
    }

    // ---------------------------------------------------------------- Colibri2, on the service connection

    /**
     * A bridge that does not answer a request within {@code focus.bridge.suspect.colibri-deadline} becomes suspect;
     * every request and answer goes in the focus's send order ({@link RoundTrips}, shared with the health doctor).
     */
    @Provides @Singleton
    ColibriDeadlineWatch deadlineWatch(BridgeRegistry registry, XmppService xmpp, SuspectSettings suspect,
                                       @Named(DEADLINES_LOOP) ExecutorEventLoop timer, RoundTrips roundTrips) {
        return new ColibriDeadlineWatch(registry, xmpp.service(), suspect.colibriDeadline(), timer, roundTrips);
    }

    @Provides @Singleton
    XmppColibriBackend colibri(XmppService xmpp, CodecSettings codecs, ColibriDeadlineWatch watch) {
        return new XmppColibriBackend(xmpp.service().requests(), xmpp.service().settings().replyTimeout(),
                codecs.colibriAudio(OfferOptions.DEFAULT), codecs.colibriVideo(OfferOptions.DEFAULT), watch);
    }

    /** What the conferences use: the backend with the switch that keeps the conferences on the bridges at stop. */
    @Provides @Singleton
    StoppableBackend backend(XmppColibriBackend colibri) { return new StoppableBackend(colibri); }

    // ---------------------------------------------------------------- Jingle, on the client connection

    @Provides @Singleton
    JingleOffers offers(CodecSettings codecs) { return new JingleOffers(codecs); }

    @Provides @Singleton
    SourceValidator sourceValidator(JingleSettings jingle) { return new SourceValidator(jingle); }

    @Provides @Singleton
    JingleSender jingleSender(XmppService xmpp) {
        return new XmppJingleSender(xmpp.client().requests(), xmpp.client().settings().replyTimeout());
    }

    @Provides @Singleton
    FeatureDiscovery featureDiscovery(XmppService xmpp, SignallingSettings signalling) {
        return new XmppFeatureDiscovery(xmpp.client().requests(), signalling.discoTimeout());
    }

    /** Registers the signalling metrics ({@code jitsi_jicofo_jingle_*}...): once, as this is made once. */
    @Provides @Singleton
    JingleSignaller signaller(JingleOffers offers, SourceValidator validator, SignallingSettings settings,
                              JingleSender sender, FeatureDiscovery discovery, Clock clock, CollectorRegistry metrics) {
        return new JingleSignaller(offers, validator, settings, sender, discovery, clock, metrics);
    }

    // ---------------------------------------------------------------- rooms and conferences

    /** Rooms on the client connection (whichever XMPPConnection it has when a room is joined), nick {@code focus}. */
    @Provides @Singleton
    ConferenceRoomFactory rooms(XmppService xmpp, @Named(ROOMS_POOL) ExecutorService io) {
        return MucConferenceRoom.factory(() -> xmpp.client().connection(), FOCUS_NICK, io);
    }

    @Provides @Singleton
    RegistryFeedback feedback(BridgeRegistry registry) { return new RegistryFeedback(registry); }

    /** Registers the conference metrics ({@code jitsi_jicofo_conferences_created}...): once, as this is made once. */
    @Provides @Singleton
    ConferenceManager manager(ConferenceSettings settings, RecoverySettings recovery, BridgeRegistry registry,
                              ReloadableSelector selector, StoppableBackend backend, ConferenceRoomFactory rooms,
                              @Named(CONFERENCES_LOOP) ExecutorEventLoop loop, Clock clock, CollectorRegistry metrics,
                              RegistryFeedback feedback, JingleSignaller signaller, PinRegistry pins,
                              Optional<ConferenceStateStore> store) {
        return ConferenceManager.builder()
                .settings(settings)
                .bridges(registry)
                .selector(selector)
                .backend(backend)
                .rooms(rooms)
                .loop(loop)
                .clock(clock)
                .metrics(metrics)
                .feedback(feedback)
                .signaller(signaller)
                .pinnedVersion(pins::pinnedVersion)
                .recovery(recovery)
                // each allocation is journaled before it goes out when conferences are saved
                .journal(store.<AllocationJournal>map(s -> s).orElse(AllocationJournal.NONE))
                .build();
    }

    /** Empty when {@code focus.state.directory} is unset: conferences are not saved. */
    @Provides @Singleton
    Optional<ConferenceStateStore> stateStore(ConferenceServiceSettings settings) {
        return settings.stateDirectory().map(ConferenceStateStore::new);
    }
}
