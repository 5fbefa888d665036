package io.focus.app.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import com.typesafe.config.Config;
import io.focus.app.admin.ConferenceViews;
import io.focus.app.inject.Managed;
import io.focus.app.spi.ConferenceRequestHandler;
import io.focus.app.spi.ConferenceStats;
import io.focus.app.spi.EndpointMover;
import io.focus.app.spi.XmppStatus;
import io.focus.health.registry.BridgeRegistry;
import io.focus.core.bridge.Bridges;
import io.focus.core.bridge.RoundTrips;
import io.focus.core.loop.EventLoops;
import io.focus.health.registry.RegistrySettings;
import io.focus.health.registry.SuspectSettings;
import java.time.Clock;

/**
 * THE BINDING POINT for the pieces the other modules provide:
 * <ul>
 *   <li>{@link XmppService}: focus-core's XMPP connection manager (client + optional service connection), also the
 *       {@link XmppStatus} of {@code /about/health};</li>
 *   <li>{@link BridgeRegistry} as {@link Bridges}, fed by {@link BridgeDiscovery} (brewery / pubsub watchers);</li>
 *   <li>{@link HealthService}: focus-health's doctor, rebuilt on reload;</li>
 *   <li>{@link ReloadableSelector}: focus-selection's filtering selector, rebuilt on reload, logging every decision;</li>
 *   <li>{@link FocusConferences}: focus-conference's manager and the conference IQ handler (their collaborators made
 *       by {@link ConferenceModule}, installed here), also the
 *       {@link ConferenceStats}, {@link ConferenceViews}, {@link EndpointMover} and {@link ConferenceRequestHandler} of
 *       the REST API;</li>
 *   <li>{@link BridgeLoadPolicies}: Jicofo's ICE-failure detection and load redistribution, rebuilt on reload.</li>
 * </ul>
 * The {@link Managed} services bound here start in this order, before the REST API (install this module before
 * {@code LifecycleModule}): XMPP connect → brewery join (registry) → health checks → conferences + IQ handler →
 * bridge load policies → HTTP;
 * they stop in reverse: HTTP, leave the rooms, stop checking, leave the brewery, disconnect.
 */
public final class WiringModule extends AbstractModule {
    @Override
    protected void configure() {
        install(new ConferenceModule());
        bind(XmppService.class);
        bind(BridgeDiscovery.class);
        bind(HealthService.class);
        bind(ReloadableSelector.class);
        bind(FocusConferences.class);
        bind(BridgeLoadPolicies.class);
        bind(Bridges.class).to(BridgeRegistry.class);
        bind(XmppStatus.class).to(XmppService.class);
        bind(ConferenceStats.class).to(FocusConferences.class);
        bind(ConferenceViews.class).to(FocusConferences.class);
        bind(EndpointMover.class).to(FocusConferences.class);
        bind(ConferenceRequestHandler.class).to(FocusConferences.class);

        Multibinder<Managed> services = Multibinder.newSetBinder(binder(), Managed.class);
        services.addBinding().to(XmppService.class);
        services.addBinding().to(BridgeDiscovery.class);
        services.addBinding().to(HealthService.class);
        services.addBinding().to(FocusConferences.class);
        services.addBinding().to(BridgeLoadPolicies.class);
    }

    @Provides
    @Singleton
    RegistrySettings registrySettings(Config config) {
        return RegistrySettings.fromConfig(config);
    }

    /**
     * The order the focus writes its requests to bridges in, and their answers: one per focus, shared by the health
     * doctor ({@link HealthService}) and the Colibri2 requests' deadline watch ({@link ConferenceModule}), both on the
     * service connection. Another bridge's answer to a request written after an unanswered probe tells the doctor
     * the focus's link and server were carrying requests: the silence was the bridge's own.
     */
    @Provides
    @Singleton
    RoundTrips roundTrips() {
        return new RoundTrips();
    }

    /** The registry's suspicion, and the Colibri2 deadline of {@link ConferenceModule}. */
    @Provides
    @Singleton
    SuspectSettings suspectSettings(Config config) {
        return SuspectSettings.fromConfig(config);
    }

    @Provides
    @Singleton
    BridgeRegistry bridgeRegistry(RegistrySettings settings, SuspectSettings suspect, Clock clock, XmppService xmpp,
                                  EventLoops loops) {
        BridgeRegistry registry = new BridgeRegistry(settings, suspect, clock, loops);
        // the brewery is watched on the service connection: overdue stats are not judged while it is down
        registry.setOwnLink(xmpp.service());
        return registry;
    }
}
