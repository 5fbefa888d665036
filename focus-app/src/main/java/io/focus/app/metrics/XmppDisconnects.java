package io.focus.app.metrics;

import io.focus.core.xmpp.connection.XmppConnectionListener;
import io.focus.core.xmpp.connection.XmppConnectionManager;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;

/**
 * Jicofo's {@code jitsi_jicofo_xmpp_disconnects_total}: every loss of one of the focus's XMPP connections (client or
 * service). A close on purpose (shutdown) is not a disconnect. Listen to each connection once.
 */
public final class XmppDisconnects implements XmppConnectionListener {
    private final Counter disconnects;

    public XmppDisconnects(CollectorRegistry registry) {
        this.disconnects = Counter.build("jitsi_jicofo_xmpp_disconnects",
                "The number of times one of the XMPP connections has disconnected.").register(registry);
    }

    @Override
    public void disconnected(XmppConnectionManager manager, Exception cause) {
        if (cause != null) {
            disconnects.inc();
        }
    }

    public long count() { return (long) disconnects.get(); }
}
