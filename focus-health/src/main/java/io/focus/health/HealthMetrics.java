package io.focus.health;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Gauge;
import io.prometheus.client.Histogram;

/** The health doctor's metrics, registered once per doctor in the registry it is given. */
public final class HealthMetrics {
    final Counter checks;
    final Histogram checkSeconds;
    final Counter massMiss;
    final Counter ownConnectionDown;
    final Counter panics;
    final Gauge panicGauge;
    final Counter suspected;
    final Counter probes;
    final Counter ownLinkSuspect;
    final Counter scaledProbes;
    final Counter overtaken;

    /** Registers the doctor's metrics, once per component: a doctor rebuilt on reload counts on into them. */
    public HealthMetrics(CollectorRegistry metrics) {
        checks = Counter.build("focus_health_checks_total", "Bridge health checks by outcome")
                .labelNames("bridge", "outcome").register(metrics);
        checkSeconds = Histogram.build("focus_health_check_seconds", "Round-trip time of answered health checks")
                .buckets(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10).register(metrics);
        massMiss = Counter.build("focus_health_mass_miss_total",
                "Times most bridges missed their checks at once (the focus's own trouble): nothing was failed")
                .register(metrics);
        ownConnectionDown = Counter.build("focus_health_own_connection_down_total",
                "Health checks not sent because the focus's own XMPP connection was down").register(metrics);
        panics = Counter.build("focus_health_panic_total", "Times every bridge was failed (panic mode entered)")
                .register(metrics);
        panicGauge = Gauge.build("focus_health_panic_active", "1 while every bridge is failed").register(metrics);
        suspected = Counter.build("focus_bridge_suspected_total",
                "Times a bridge became suspect, by what made it suspect").labelNames("signal").register(metrics);
        probes = Counter.build("focus_health_probes_total",
                "Probes of suspect bridges by outcome (passed, failed, timeout, error, not_sent)")
                .labelNames("outcome").register(metrics);
        ownLinkSuspect = Counter.build("focus_health_own_link_suspect_total",
                "Unanswered checks or probes not held against a bridge because the focus's own link did not answer "
                        + "either (or was lost meanwhile)").register(metrics);
        scaledProbes = Counter.build("focus_health_scaled_probes_total",
                "Bridges probed again with a deadline scaled to the focus's own server's late answer to its ping, by "
                        + "verdict (answered, failed, held, dropped)").labelNames("verdict").register(metrics);
        overtaken = Counter.build("focus_health_overtaken_total",
                "Bridges failed although the focus's own server answered its ping late or not at all (or most bridges "
                        + "were missing at once), because another bridge answered a request the focus sent after the "
                        + "unanswered one").register(metrics);
    }
}
