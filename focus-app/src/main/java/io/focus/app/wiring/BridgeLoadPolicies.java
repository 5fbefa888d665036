package io.focus.app.wiring;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import com.typesafe.config.Config;
import io.focus.app.config.ConfigHolder;
import io.focus.app.config.Reloadable;
import io.focus.app.inject.Managed;
import io.focus.conference.ConferenceManager;
import io.focus.conference.LoadRedistributionSettings;
import io.focus.conference.LoadRedistributor;
import io.focus.health.registry.BridgeRegistry;
import io.focus.health.registry.IceFailureSettings;
import io.prometheus.client.CollectorRegistry;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jicofo's two opt-in bridge load policies, applied at start-up and on every reload:
 * <ul>
 *   <li>ICE-failure detection ({@code jicofo.bridge.ice-failure-detection}): the registry marks a bridge on which too
 *       many participants asked for a restart as failing ICE, and selection gives it no new participants while
 *       another bridge can take them ({@link IceFailureSettings});</li>
 *   <li>load redistribution ({@code jicofo.bridge.load-redistribution}): endpoints are moved off bridges at or above
 *       its stress threshold through the admin move path ({@link LoadRedistributor}).</li>
 * </ul>
 * Starts after the conferences (it moves their endpoints) and stops before them.
 */
@Singleton
public final class BridgeLoadPolicies implements Managed, Reloadable {
    private static final Logger log = LoggerFactory.getLogger(BridgeLoadPolicies.class);

    private final BridgeRegistry registry;
    private final LoadRedistributor redistributor;
    private volatile IceFailureSettings ice;

    @Inject
    public BridgeLoadPolicies(Config config, BridgeRegistry registry, ConferenceManager conferences, Clock clock,
                              CollectorRegistry metrics, ConfigHolder holder) {
        this.registry = registry;
        this.ice = IceFailureSettings.fromConfig(config);
        this.redistributor = new LoadRedistributor(LoadRedistributionSettings.fromConfig(config),
                conferences, registry, clock, metrics);
        holder.addListener(this);
    }

    @Override public String name() { return "bridge load policies"; }

    @Override
    public List<String> keys() {
        return List.of("jicofo.bridge.ice-failure-detection.", "jicofo.bridge.load-redistribution.");
    }

    @Override
    public void start() {
        registry.setIceFailureDetection(ice);
        redistributor.start();
        log.info("ICE-failure detection {}; load redistribution {}", describe(ice),
                LoadRedistributor.describe(redistributor.settings()));
    }

    @Override
    public void stop() {
        redistributor.close();
    }

    @Override
    public Runnable prepare(Config next) {
        IceFailureSettings nextIce = IceFailureSettings.fromConfig(next);
        LoadRedistributionSettings nextLoad = LoadRedistributionSettings.fromConfig(next);
        return () -> {
            if (!nextIce.equals(ice)) {
                log.info("reload: ICE-failure detection now {}", describe(nextIce));
            }
            ice = nextIce;
            registry.setIceFailureDetection(nextIce);
            redistributor.apply(nextLoad);
        };
    }

    static String describe(IceFailureSettings s) {
        return s.enabled() ? "on (a bridge with >= " + s.minEndpoints() + " endpoints and more than " + s.threshold()
                + " restart requests per endpoint within " + s.interval() + " gets no new participants for "
                + s.timeout() + ")" : "off";
    }

}
