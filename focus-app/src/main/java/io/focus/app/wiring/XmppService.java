package io.focus.app.wiring;

import io.focus.core.loop.EventLoops;
import io.focus.core.xmpp.StanzaHygiene;
import io.prometheus.client.CollectorRegistry;
import com.google.inject.Inject;
import com.google.inject.Singleton;
import com.typesafe.config.Config;
import io.focus.app.config.XmppDomain;
import io.focus.app.inject.Managed;
import io.focus.app.metrics.XmppDisconnects;
import io.focus.app.spi.XmppStatus;
import io.focus.core.providers.FocusProviders;
import io.focus.core.xmpp.connection.XmppConnectionManager;
import io.focus.core.xmpp.connection.XmppConnections;
import io.focus.core.xmpp.connection.XmppSettings;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The focus's XMPP connections ({@code jicofo.xmpp.client} and the optional {@code jicofo.xmpp.service}) as a
 * managed service, started first and stopped last. Start-up waits up to {@code focus.startup.xmpp-timeout} for the
 * first login; if Prosody is not there yet the focus goes on starting and the connection manager keeps retrying
 * with backoff (the brewery is joined and conference requests are answered as soon as it connects). Every loss of a
 * connection counts in {@code jitsi_jicofo_xmpp_disconnects_total}.
 */
@Singleton
public final class XmppService implements Managed, XmppStatus {
    private static final Logger log = LoggerFactory.getLogger(XmppService.class);

    private final XmppConnections connections;
    private final Duration startTimeout;

    @Inject
    public XmppService(Config config, CollectorRegistry metrics, Clock clock, EventLoops loops) {
        FocusProviders.registerAll();
        this.connections = XmppConnections.fromConfig(XmppDomain.withDomainDefault(config), new StanzaHygiene(metrics, clock),
                loops);
        XmppDisconnects disconnects = new XmppDisconnects(metrics);
        connections.client().addListener(disconnects);
        if (connections.hasSeparateService()) {
            connections.service().addListener(disconnects);
        }
        this.startTimeout = config.getDuration("focus.startup.xmpp-timeout");
    }

    /** The client connection: conference requests, rooms. */
    public XmppConnectionManager client() { return connections.client(); }

    /** The connection for the brewery, health checks and Colibri2 (the client one unless a service one is set). */
    public XmppConnectionManager service() { return connections.service(); }

    /** The bare JID clients address the focus as ({@code focus@auth.meet.example.com}). */
    public String focusJid() {
        XmppSettings s = connections.client().settings();
        return s.username() + "@" + s.domain();
    }

    @Override public String name() { return "XMPP connections"; }

    @Override
    public void start() throws InterruptedException {
        connections.start();
        for (XmppConnectionManager m : connections.hasSeparateService()
                ? java.util.List.of(connections.client(), connections.service()) : java.util.List.of(connections.client())) {
            if (!m.awaitFirstLogin(startTimeout)) {
                XmppSettings s = m.settings();
                log.warn("XMPP {} connection to {}:{} not up after {}; starting anyway, still retrying", s.name(),
                        s.hostname(), s.port(), startTimeout);
            }
        }
    }

    @Override
    public void stop() {
        connections.close();
    }

    @Override
    public boolean clientConnected() {
        return connections.client().isReady();
    }

    @Override
    public String describe() {
        if (clientConnected()) {
            return "connected";
        }
        XmppSettings s = connections.client().settings();
        return "XMPP client connection to " + s.hostname() + ":" + s.port() + " as " + s.username() + "@" + s.domain()
                + " is down (lost " + connections.client().losses() + " time(s) since start)";
    }
}
