package io.focus.core.xmpp.connection;

import io.focus.core.loop.EventLoops;
import io.focus.core.xmpp.StanzaHygiene;
import com.typesafe.config.Config;
import java.util.Objects;

/**
 * The focus's XMPP connections: the client connection and, when {@code jicofo.xmpp.service.enabled}, a separate
 * service connection. The brewery, health checks and Colibri2 use {@link #service()}, which is the client connection
 * when no service connection is configured.
 */
public final class XmppConnections implements AutoCloseable {
    private final XmppConnectionManager client;
    private final XmppConnectionManager service;

    public XmppConnections(XmppConnectionManager client, XmppConnectionManager serviceOrNull) {
        this.client = Objects.requireNonNull(client, "client");
        this.service = serviceOrNull;
    }

    /**
     * Builds (does not start) the managers from {@code jicofo.xmpp.client} and {@code jicofo.xmpp.service}, both with
     * the stanza limits of {@code focus.xmpp} ({@link StanzaLimits}).
     */
    public static XmppConnections fromConfig(Config config, StanzaHygiene hygiene, EventLoops loops) {
        XmppSettings clientSettings = XmppSettings.fromConfig(config, XmppSettings.CLIENT);
        XmppSettings serviceSettings = XmppSettings.fromConfig(config, XmppSettings.SERVICE);
        StanzaLimits limits = StanzaLimits.fromConfig(config);
        return new XmppConnections(new XmppConnectionManager(clientSettings, hygiene, limits, loops),
                serviceSettings.enabled() ? new XmppConnectionManager(serviceSettings, hygiene, limits, loops) : null);
    }

    public XmppConnectionManager client() { return client; }

    /** The connection for the brewery, health checks and Colibri2. */
    public XmppConnectionManager service() { return service != null ? service : client; }

    public boolean hasSeparateService() { return service != null; }

    public void start() {
        client.start();
        if (service != null) {
            service.start();
        }
    }

    @Override
    public void close() {
        if (service != null) {
            service.close();
        }
        client.close();
    }
}
