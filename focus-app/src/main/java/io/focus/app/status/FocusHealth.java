package io.focus.app.status;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.focus.app.metrics.BridgeMetrics;
import io.focus.app.spi.HealthStatus;
import io.focus.app.spi.XmppStatus;
import io.focus.core.bridge.BridgeSnapshot;
import io.focus.core.bridge.Bridges;

/**
 * The focus is healthy when its XMPP client connection is up and at least one bridge is operational (and not in
 * graceful shutdown or shutting down): Jicofo's hard checks. Load balancers and probes restart on a 500.
 */
@Singleton
public final class FocusHealth implements HealthStatus {
    private final XmppStatus xmpp;
    private final Bridges bridges;

    @Inject
    public FocusHealth(XmppStatus xmpp, Bridges bridges) {
        this.xmpp = xmpp;
        this.bridges = bridges;
    }

    @Override
    public Result check() {
        if (!xmpp.clientConnected()) {
            return Result.unhealthy(xmpp.describe());
        }
        BridgeSnapshot s = bridges.snapshot();
        if (BridgeMetrics.operationalNotGraceful(s) == 0) {
            return Result.unhealthy("no operational bridge (" + s.size() + " known, " + s.operationalCount()
                    + " operational, " + BridgeMetrics.inShutdown(s) + " shutting down)");
        }
        return Result.OK;
    }
}
