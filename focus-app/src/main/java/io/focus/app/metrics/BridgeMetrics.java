package io.focus.app.metrics;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.focus.core.bridge.BridgeEvent;
import io.focus.core.bridge.BridgeEventListener;
import io.focus.core.bridge.BridgeSnapshot;
import io.focus.core.bridge.BridgeState;
import io.focus.core.bridge.Bridges;
import io.focus.core.bridge.SuspectSignal;
import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.GaugeMetricFamily;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge metrics, read from the registry's current snapshot at scrape time (so a removed bridge's series go
 * away with it): Jicofo's {@code jitsi_jicofo_bridge_selector_*} gauges, {@code jitsi_jicofo_bridge_endpoints{jvb}}
 * and {@code jitsi_jicofo_bridge_failing_ice{jvb}}, plus ours. The lost-bridges counter counts REMOVED events of bridges that were neither in graceful shutdown nor
 * shutting down (Jicofo's rule).
 */
@Singleton
public final class BridgeMetrics extends Collector implements BridgeEventListener {
    private static final Logger log = LoggerFactory.getLogger(BridgeMetrics.class);
    static final List<String> STATES = List.of("operational", "failed", "draining", "graceful-shutdown", "shutting-down",
            "suspect");

    private final Bridges bridges;
    private final Counter lostBridges;

    @Inject
    public BridgeMetrics(Bridges bridges, CollectorRegistry registry) {
        this.bridges = bridges;
        this.lostBridges = Counter.build("jitsi_jicofo_bridge_selector_lost_bridges",
                "Bridges that left without a graceful shutdown or shutting down.").register(registry);
        register(registry);
        bridges.addListener(this);
    }

    public long lostBridges() { return (long) lostBridges.get(); }

    @Override
    public void onBridgeEvent(BridgeEvent event) {
        if (event.type() == BridgeEvent.Type.REMOVED) {
            BridgeState b = event.bridge();
            if (!b.gracefulShutdown() && !b.shuttingDown()) {
                lostBridges.inc();
                log.warn("Lost a bridge: {} ({}): {}", b.nick(), b.id(), event.reason());
            }
        }
    }

    @Override
    public List<MetricFamilySamples> collect() {
        BridgeSnapshot s = bridges.snapshot();
        List<MetricFamilySamples> out = new ArrayList<>();
        out.add(new GaugeMetricFamily("jitsi_jicofo_bridge_selector_bridge_count", "Bridges known to the focus.", s.size()));
        out.add(new GaugeMetricFamily("jitsi_jicofo_bridge_selector_bridge_count_operational",
                "Bridges that are operational.", s.operationalCount()));
        out.add(new GaugeMetricFamily("jitsi_jicofo_bridge_selector_bridge_count_in_shutdown",
                "Bridges in graceful shutdown or shutting down.", inShutdown(s)));
        out.add(new GaugeMetricFamily("jitsi_jicofo_bridge_selector_bridge_version_count",
                "Distinct bridge versions.", versionCount(s)));

        List<String> jvb = List.of("jvb");
        GaugeMetricFamily endpoints = new GaugeMetricFamily("jitsi_jicofo_bridge_endpoints",
                "Endpoints this focus placed on the bridge.", jvb);
        GaugeMetricFamily failingIce = new GaugeMetricFamily("jitsi_jicofo_bridge_failing_ice",
                "1 while the bridge is failing ICE: Jicofo's rule (jicofo.bridge.ice-failure-detection), or suspect "
                        + "because participants on it reported ICE failure or asked for restarts "
                        + "(focus.bridge.suspect.ice-failures within ice-window).", jvb);
        GaugeMetricFamily stress = new GaugeMetricFamily("focus_bridge_stress",
                "Corrected stress (reported + ramp-up correction).", jvb);
        GaugeMetricFamily conferences = new GaugeMetricFamily("focus_bridge_conferences",
                "Conferences this focus has on the bridge.", jvb);
        GaugeMetricFamily state = new GaugeMetricFamily("focus_bridge_state",
                "1 when the bridge is in the state (flags may combine, e.g. operational and draining).",
                List.of("jvb", "state"));
        for (BridgeState b : s.bridges()) {
            List<String> l = List.of(b.nick());
            endpoints.addMetric(l, b.endpoints());
            failingIce.addMetric(l, failingIce(b) ? 1 : 0);
            stress.addMetric(l, b.correctedStress());
            conferences.addMetric(l, b.conferences());
            state.addMetric(List.of(b.nick(), "operational"), b.operational() ? 1 : 0);
            state.addMetric(List.of(b.nick(), "failed"), b.operational() ? 0 : 1);
            state.addMetric(List.of(b.nick(), "draining"), b.draining() ? 1 : 0);
            state.addMetric(List.of(b.nick(), "graceful-shutdown"), b.gracefulShutdown() ? 1 : 0);
            state.addMetric(List.of(b.nick(), "shutting-down"), b.shuttingDown() ? 1 : 0);
            state.addMetric(List.of(b.nick(), "suspect"), b.suspect() ? 1 : 0);
        }
        out.add(endpoints);
        out.add(failingIce);
        out.add(stress);
        out.add(conferences);
        out.add(state);
        return out;
    }

    /**
     * Jicofo's failing-ICE state: Jicofo's own rule when it is configured ({@link BridgeState#failingIce()}), or a
     * bridge made suspect by participants' ICE failures or restart requests (ours, on by default).
     */
    public static boolean failingIce(BridgeState b) {
        return b.failingIce() || (b.suspect() && b.suspectSignal() == SuspectSignal.ICE_FAILURES);
    }

    public static long inShutdown(BridgeSnapshot s) {
        return s.bridges().stream().filter(b -> b.gracefulShutdown() || b.shuttingDown()).count();
    }

    /** Operational and not in graceful shutdown: what Jicofo's own health and {@code operational_bridge_count} use. */
    public static long operationalNotGraceful(BridgeSnapshot s) {
        return s.bridges().stream().filter(b -> b.operational() && !b.gracefulShutdown() && !b.shuttingDown()).count();
    }

    public static long versionCount(BridgeSnapshot s) {
        return s.bridges().stream().map(BridgeState::version).filter(Objects::nonNull).distinct().count();
    }
}
