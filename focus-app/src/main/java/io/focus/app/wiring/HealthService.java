package io.focus.app.wiring;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import com.typesafe.config.Config;
import io.focus.app.config.ConfigHolder;
import io.focus.app.config.Reloadable;
import io.focus.app.inject.Managed;
import io.focus.core.bridge.RoundTrips;
import io.focus.core.loop.EventLoops;
import io.focus.health.registry.BridgeRegistry;
import io.focus.health.HealthCheckSender;
import io.focus.health.HealthDoctor;
import io.focus.health.HealthMetrics;
import io.focus.health.HealthSettings;
import io.focus.health.PresenceHealthCheckSender;
import io.focus.health.SmackHealthCheckSender;
import io.prometheus.client.CollectorRegistry;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The health doctor (focus-health) on the service connection, as a managed service. On reload with changed
 * {@code jicofo.bridge.health-checks.*} / {@code focus.health.*} settings the doctor is replaced by one with the new
 * settings (it re-admits every known bridge; a bridge's failed state lives in the registry, so nothing is lost). Each
 * doctor runs on its own event loop ({@code focus-health}), stopped with it.
 * The doctors' metrics ({@code focus_health_check_seconds}: health-check latency, checks by outcome...) are exposed
 * once ({@link HealthMetrics}); a doctor rebuilt on reload counts on into them. Every doctor places its checks in the
 * focus's one send order ({@link RoundTrips}), beside the Colibri2 requests.
 */
@Singleton
public final class HealthService implements Managed, Reloadable {
    private static final Logger log = LoggerFactory.getLogger(HealthService.class);

    private final BridgeRegistry registry;
    private final XmppService xmpp;
    private final Clock clock;
    private final HealthMetrics metrics;
    private final EventLoops loops;
    private final RoundTrips roundTrips;
    private HealthSettings settings;
    private HealthDoctor doctor;
    private boolean started;

    @Inject
    public HealthService(Config config, BridgeRegistry registry, XmppService xmpp, Clock clock,
                         CollectorRegistry collectors, ConfigHolder holder, EventLoops loops, RoundTrips roundTrips) {
        this.registry = registry;
        this.roundTrips = roundTrips;
        this.loops = loops;
        this.xmpp = xmpp;
        this.clock = clock;
        this.settings = HealthSettings.fromConfig(config);
        this.metrics = new HealthMetrics(collectors);
        holder.addListener(this);
    }

    @Override public String name() { return "health checks"; }

    /** {@link HealthSettings}: the doctor is rebuilt with them. */
    @Override
    public List<String> keys() {
        return List.of("jicofo.bridge.health-checks.", "focus.health.", "focus.bridge.suspect.probe-timeout");
    }

    @Override
    public synchronized void start() {
        started = true;
        apply(settings);
    }

    @Override
    public synchronized void stop() {
        started = false;
        if (doctor != null) {
            doctor.close();
            doctor = null;
        }
    }

    /** The running doctor, or null when health checks are disabled (tests and the debug API). */
    public synchronized HealthDoctor doctor() { return doctor; }

    public synchronized HealthSettings settings() { return settings; }

    @Override
    public Runnable prepare(Config next) {
        HealthSettings fresh = HealthSettings.fromConfig(next);
        return () -> {
            synchronized (this) {
                if (fresh.equals(settings)) {
                    return;
                }
                log.info("reload: health checks now {} (were {})", fresh, settings);
                settings = fresh;
                if (started) {
                    apply(fresh);
                }
            }
        };
    }

    private void apply(HealthSettings s) {
        if (doctor != null) {
            doctor.close();
            doctor = null;
        }
        if (!s.enabled()) {
            log.warn("Bridge health checks are disabled (jicofo.bridge.health-checks.enabled = false)");
            return;
        }
        HealthCheckSender sender = s.usePresence()
                ? new PresenceHealthCheckSender(registry::snapshot, clock, s.presenceTimeout(), xmpp.service()::isReady)
                : new SmackHealthCheckSender(xmpp.service());
        doctor = new HealthDoctor(s, registry, sender, xmpp.service(), loops, clock, metrics, roundTrips);
        doctor.start();
    }
}
