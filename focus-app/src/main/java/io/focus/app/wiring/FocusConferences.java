package io.focus.app.wiring;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import com.google.inject.name.Named;
import io.focus.app.admin.ConferenceViews;
import io.focus.app.inject.Managed;
import io.focus.app.spi.ConferenceRequest;
import io.focus.app.spi.ConferenceRequestHandler;
import io.focus.app.spi.ConferenceStats;
import io.focus.app.spi.EndpointMover;
import io.focus.conference.AuthenticationSettings;
import io.focus.conference.ConferenceIqHandler;
import io.focus.conference.ConferenceManager;
import io.focus.conference.ConferenceRequestException;
import io.focus.conference.ConferenceRequestResult;
import io.focus.conference.ConferenceSnapshot;
import io.focus.conference.ConferenceStateStore;
import io.focus.conference.ConferenceView;
import io.focus.conference.RoomConnectionListener;
import io.focus.core.loop.ExecutorEventLoop;
import io.focus.conference.signalling.JingleIqHandler;
import io.focus.conference.signalling.JingleSignaller;
import io.focus.conference.ParticipantView;
import io.focus.conference.UnsupportedServicesIqHandler;
import io.prometheus.client.CollectorRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The conferences (focus-core's {@link ConferenceManager}) as a managed service, and the adapters the REST API
 * uses: {@link ConferenceStats}, {@link ConferenceViews}, {@link EndpointMover}, {@link ConferenceRequestHandler}.
 *
 * <p>Wiring ({@link ConferenceModule} makes every collaborator; this class starts and stops them): Colibri2 over the
 * service connection (the one in the brewery; a request unanswered after {@code focus.bridge.suspect.colibri-deadline}
 * makes its bridge suspect, any reply clears that), rooms on the client connection with the nick {@code focus}, the
 * conference IQ answered on the client connection, the {@link ReloadableSelector}, pins from the
 * {@code PinRegistry}, bridge feedback to the registry. The conference manager (and the signaller) register their
 * metrics ({@code jitsi_jicofo_participants_moved}, {@code jitsi_jicofo_conferences_created}, ...) itself, once: each
 * is made once.
 *
 * <p>Signalling: focus-core's {@link JingleSignaller} on the client connection (offers from {@code jicofo.codec},
 * source limits from {@code jicofo.conference}, re-invites per {@code SignallingSettings}); its IQ handler answers the
 * participants' Jingle requests. A placement or move completes when the participant accepted its offer.
 *
 * <p>XMPP trouble: the conferences follow the client connection ({@link RoomConnectionListener}): out of their rooms
 * when it is lost, back in them when it returns (see {@code RoomRecovery}, {@code focus.conference.rejoin-timeout}).
 *
 * <p>Restarts: with {@code focus.state.directory} set (the package sets it to {@code /var/lib/focus} through systemd's
 * {@code StateDirectory}), the conferences are saved there as they change ({@link ConferenceStateStore}), and at
 * start-up, once the client connection is up and the brewery joined, the focus takes the saved rooms back: re-uses
 * one bridge conference of each and expires the others. Unset, a restart leaves the previous process's bridge
 * conferences to the bridges (which expire them once their clients are gone).
 *
 * <p>Not supported yet: Jibri and Jigasi. Their requests to the focus (recording, live streaming, dial-out,
 * transcription) are answered {@code feature-not-implemented} with a text ({@link UnsupportedServicesIqHandler}).
 *
 * <p>Stop: the IQ handlers go first (no new conferences), the conferences are saved one last time, then every
 * conference ends: the focus leaves its rooms; the conferences are expired on the bridges only when
 * {@code focus.shutdown.expire-conferences = true} (then nothing is left for the next process to take back). Then the
 * threads {@link ConferenceModule} made: the state loop, the conference loop, the Colibri2 deadline loop, and last the
 * room pool (waiting up to {@code focus.shutdown.timeout} for the leaves still running).
 */
@Singleton
public final class FocusConferences implements Managed, ConferenceStats, ConferenceViews, EndpointMover,
        ConferenceRequestHandler {
    private static final Logger log = LoggerFactory.getLogger(FocusConferences.class);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(10);

    private final XmppService xmpp;
    private final ConferenceManager manager;
    private final StoppableBackend backend;
    private final ExecutorEventLoop loop;
    /** Runs the Colibri2 deadlines: a bridge that does not answer within colibri-deadline becomes suspect. */
    private final ExecutorEventLoop deadlines;
    private final ExecutorService io;
    private final ConferenceServiceSettings settings;
    private final JingleSignaller signaller;
    private final BridgeDiscovery discovery;
    /** Null when {@code focus.state.directory} is unset. */
    private final ConferenceStateStore store;
    private final Clock clock;
    private final AtomicBoolean restored = new AtomicBoolean();
    /** Saves the conferences ({@code focus-state}). */
    private final ExecutorEventLoop stateLoop;
    private volatile RoomConnectionListener roomListener;
    private volatile ConferenceIqHandler iqHandler;
    private volatile JingleIqHandler jingleHandler;
    private volatile UnsupportedServicesIqHandler.Registration unsupported;
    private final CollectorRegistry metrics;

    /** How often the conferences are checked for changes to save. */
    static final Duration SAVE_INTERVAL = Duration.ofMillis(250);
    /** How often taking the saved rooms back checks whether the brewery is joined yet. */
    static final Duration BREWERY_POLL = Duration.ofMillis(20);

    /** Everything made by {@link ConferenceModule}; the loops and the room pool are closed by {@link #stop}. */
    @Inject
    public FocusConferences(ConferenceServiceSettings settings, ConferenceManager manager, StoppableBackend backend,
                            JingleSignaller signaller, Optional<ConferenceStateStore> store, XmppService xmpp,
                            BridgeDiscovery discovery, CollectorRegistry metrics, Clock clock,
                            @Named(ConferenceModule.CONFERENCES_LOOP) ExecutorEventLoop loop,
                            @Named(ConferenceModule.DEADLINES_LOOP) ExecutorEventLoop deadlines,
                            @Named(ConferenceModule.STATE_LOOP) ExecutorEventLoop stateLoop,
                            @Named(ConferenceModule.ROOMS_POOL) ExecutorService io) {
        this.settings = settings;
        this.manager = manager;
        this.backend = backend;
        this.signaller = signaller;
        this.store = store.orElse(null);
        this.xmpp = xmpp;
        this.discovery = discovery;
        this.metrics = metrics;
        this.clock = clock;
        this.loop = loop;
        this.deadlines = deadlines;
        this.stateLoop = stateLoop;
        this.io = io;
    }

    /** The conference manager (tests, benchmarks). */
    public ConferenceManager manager() { return manager; }

    @Override public String name() { return "conferences"; }

    @Override
    public void start() {
        manager.start();
        jingleHandler = JingleIqHandler.register(signaller, xmpp.client().connection());
        iqHandler = ConferenceIqHandler.register(manager, xmpp.client().requests(), xmpp.focusJid());
        // Jibri and Rayo requests (recording, live streaming, dial-out, transcription): feature-not-implemented
        unsupported = UnsupportedServicesIqHandler.register(xmpp.client().connection(), metrics);
        log.info("Answering conference requests as {} (rooms on {})", xmpp.focusJid(),
                manager.settings().conferenceMucDomain() == null ? "any MUC" : manager.settings().conferenceMucDomain());
        roomListener = new RoomConnectionListener(manager, this::restoreSoon);
        xmpp.client().addListener(roomListener);
        if (store == null) {
            log.info("focus.state.directory is not set: conferences are not saved, and a restarted focus does not take "
                    + "its rooms back");
            return;
        }
        if (xmpp.client().isReady()) {
            restoreSoon();
        }
    }

    /**
     * Once: takes back what the previous process saved, as soon as the brewery is joined (the bridges must be known
     * to re-use their conferences, and Colibri2 reaches them only from there); then saves the conferences as they
     * change.
     */
    private void restoreSoon() {
        if (store == null || !restored.compareAndSet(false, true)) {
            return;
        }
        Instant deadline = clock.instant().plus(settings.breweryTimeout());
        stateLoop.execute(() -> restoreWhenInBrewery(deadline));
    }

    private void restoreWhenInBrewery(Instant deadline) {
        if (!discovery.breweryJoined() && clock.instant().isBefore(deadline)) {
            stateLoop.schedule(() -> restoreWhenInBrewery(deadline), BREWERY_POLL);
            return;
        }
        List<io.focus.conference.SavedConference> saved = store.load();
        CompletableFuture<Integer> done = CompletableFuture.completedFuture(0);
        if (!saved.isEmpty()) {
            log.info("Taking back {} conference(s) saved in {} by the previous focus process", saved.size(),
                    store.file());
            done = manager.restore(saved);
        }
        done.whenComplete((n, e) -> {
            if (e != null) {
                log.error("Taking the saved conferences back failed", e);
            }
            store.start(manager::toSave, SAVE_INTERVAL, stateLoop);
        });
    }

    @Override
    public void stop() {
        ConferenceIqHandler h = iqHandler;
        if (h != null) {
            h.unregister();
        }
        JingleIqHandler j = jingleHandler;
        if (j != null) {
            j.unregister();
        }
        UnsupportedServicesIqHandler.Registration u = unsupported;
        if (u != null) {
            u.unregister();
        }
        RoomConnectionListener l = roomListener;
        if (l != null) {
            xmpp.client().removeListener(l);
        }
        int count = manager.conferenceCount();
        boolean expireOnStop = settings.expireOnStop();
        if (!expireOnStop) {
            backend.keepConferencesOnBridges();
        }
        if (store != null) {
            // before the conferences end: what the next process takes back
            store.stop(manager.toSave());
        }
        manager.close();
        if (store != null && expireOnStop) {
            store.clear();
        }
        stateLoop.close();
        log.info("Left {} conference room(s); {}", count, expireOnStop
                ? "their conferences were expired on the bridges (focus.shutdown.expire-conferences = true)"
                : "their conferences stay on the bridges (focus.shutdown.expire-conferences = false)");
        loop.close();
        deadlines.close();
        io.shutdown();
        try {
            if (!io.awaitTermination(settings.stopTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("Leaving the rooms took longer than {}", settings.stopTimeout());
                io.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------ ConferenceStats, ConferenceViews

    @Override
    public ConferenceSnapshot snapshot() {
        return manager.snapshot();
    }

    @Override
    public Counts counts() {
        List<Integer> sizes = new ArrayList<>();
        for (ConferenceView c : manager.snapshot().conferences()) {
            sizes.add(c.participants().size());
        }
        return Counts.of(sizes, manager.totalConferencesCreated(), manager.totalParticipants(),
                manager.participantsMoved(), manager.bridgesRemoved());
    }

    @Override
    public List<ConferenceInfo> conferences() {
        List<ConferenceInfo> out = new ArrayList<>();
        for (ConferenceView c : manager.snapshot().conferences()) {
            Map<String, String> where = new LinkedHashMap<>();
            for (ParticipantView p : c.participants()) {
                where.put(p.id(), p.placed() ? p.bridgeNick() : null);
            }
            out.add(new ConferenceInfo(c.roomJid(), c.meetingId(), where));
        }
        return out;
    }

    // ------------------------------------------------------------------ EndpointMover

    @Override
    public EndpointMover.MoveResult moveEndpoint(String conference, String endpointId, String bridgeId)
            throws NotFoundException {
        io.focus.conference.MoveResult r = await(manager.moveEndpoint(conference, endpointId, bridgeId));
        if (!r.found() && "Endpoint not found".equals(r.message())) {
            return EndpointMover.MoveResult.NONE;
        }
        return convert(r);
    }

    @Override
    public EndpointMover.MoveResult moveEndpoints(String bridgeId, String conference, int count) throws NotFoundException {
        return convert(await(manager.moveEndpoints(bridgeId, conference, count)));
    }

    @Override
    public EndpointMover.MoveResult moveFraction(String bridgeId, double fraction) throws NotFoundException {
        return convert(await(manager.moveFraction(bridgeId, fraction)));
    }

    @Override
    public void drain(String bridgeId, boolean drained, int endpointsPerStep, Duration interval)
            throws NotFoundException {
        convert(await(manager.drain(bridgeId, drained, endpointsPerStep, interval)));
    }

    private static EndpointMover.MoveResult convert(io.focus.conference.MoveResult r) throws NotFoundException {
        if (!r.found()) {
            throw new NotFoundException(r.message());
        }
        return new EndpointMover.MoveResult(r.movedEndpoints(), r.conferences());
    }

    private static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IllegalArgumentException iae) {
                throw iae;
            }
            throw new IllegalStateException(String.valueOf(e.getCause()), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the conference control loop did not answer within " + ADMIN_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    // ------------------------------------------------------------------ ConferenceRequestHandler

    @Override
    public ConferenceRequest handle(ConferenceRequest request, String token) throws RequestException {
        ConferenceRequestResult result;
        AuthenticationSettings auth = manager.settings().authentication();
        // Over HTTP nobody is logged in to XMPP, so there is no identity the secure-domain check could verify: with
        // authentication enabled such a request may only join a room that exists (not-authorized / 403 otherwise).
        // The client's JWT is not verified here (Prosody does that at login), so it does not grant creation.
        String requester = null;
        if (auth.enabled()) {
            log.debug("HTTP conference request for {} (identity {}, token {}): no verifiable requester; may join only",
                    request.room(), request.identity(), token == null ? "absent" : "present");
        }
        try {
            result = manager.requestConference(request.room(), request.properties(), requester)
                    .get(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ConferenceRequestException cre) {
                RequestException.Condition c = switch (cre.kind()) {
                    case BAD_REQUEST -> RequestException.Condition.BAD_REQUEST;
                    case NOT_ACCEPTABLE -> RequestException.Condition.NOT_ACCEPTABLE;
                    case NOT_AUTHORIZED -> RequestException.Condition.NOT_AUTHORIZED;
                    case UNAVAILABLE -> RequestException.Condition.SERVICE_UNAVAILABLE;
                };
                throw new RequestException(c, cre.getMessage());
            }
            throw new RequestException(RequestException.Condition.OTHER, String.valueOf(cause));
        } catch (TimeoutException e) {
            throw new RequestException(RequestException.Condition.SERVICE_UNAVAILABLE,
                    "the focus did not get into the room within " + REQUEST_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RequestException(RequestException.Condition.SERVICE_UNAVAILABLE, "interrupted");
        }
        Map<String, String> props = new LinkedHashMap<>();
        props.put("authentication", String.valueOf(auth.enabled()));
        if (auth.enabled()) {
            props.put("externalAuth", String.valueOf(auth.external()));
        }
        props.put("visitors-supported", "false");
        return new ConferenceRequest(result.roomJid(), result.ready(), xmpp.focusJid(), null, null, null, null, props);
    }
}
