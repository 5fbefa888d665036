package io.focus.app.wiring;

import com.google.inject.AbstractModule;
import io.focus.app.spi.ConferenceRequestHandler;
import io.focus.app.spi.ConferenceStats;
import io.focus.app.spi.EndpointMover;
import io.focus.app.spi.XmppStatus;
import io.focus.core.bridge.Bridges;

/**
 * THE BINDING POINT for the pieces other modules provide. Replace each placeholder with the real class:
 * <ul>
 *   <li>{@link Bridges} → focus-core's bridge registry ({@code io.focus.core.bridge}), started with the brewery
 *       watcher and the XMPP connection manager ({@code io.focus.core.xmpp.connection}); register them as
 *       {@code Managed} in {@code LifecycleModule} so they start after config and stop before HTTP;</li>
 *   <li>{@link XmppStatus} → the connection manager's client connection state;</li>
 *   <li>{@code BridgeSelector} (focus-selection's {@code FilteringBridgeSelector} built from
 *       {@code SelectionSettings} and {@code StrategyLookup}) → a {@code Reloadable} registered on the
 *       {@code ConfigHolder}; the health doctor (focus-health) likewise;</li>
 *   <li>{@link ConferenceStats}, {@link EndpointMover}, {@link ConferenceRequestHandler} → the conference code
 *       (which also appends to {@code SelectionLog} and reads {@code PinRegistry}).</li>
 * </ul>
 */
public final class WiringModule extends AbstractModule {
    @Override
    protected void configure() {
        bind(UnwiredBridges.class);
        bind(UnwiredXmpp.class);
        bind(UnwiredConferences.class);
        bind(Bridges.class).to(UnwiredBridges.class);
        bind(XmppStatus.class).to(UnwiredXmpp.class);
        bind(ConferenceStats.class).to(UnwiredConferences.class);
        bind(EndpointMover.class).to(UnwiredConferences.class);
        bind(ConferenceRequestHandler.class).to(UnwiredConferences.class);
    }
}
