package io.focus.app.wiring;

import static io.focus.app.testing.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focus.app.Main;
import io.focus.app.config.ConfigHolder;
import io.focus.app.config.ConfigLoader;
import io.focus.health.registry.BridgeRegistry;
import io.focus.sim.prosody.FocusClientConfig;
import io.focus.sim.prosody.ProsodyExtension;
import io.focus.sim.prosody.ProsodyServer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a reload says it applied is what the running daemon (as {@code Main} wires it) really applies: the health,
 * selection and load-policy keys reach their components; the keys the registry and the conferences read once at
 * start-up are reported as needing a restart, and indeed nothing changed there.
 */
class ReloadClaimsTest {
    @RegisterExtension
    static ProsodyExtension prosody = new ProsodyExtension();
    @TempDir
    Path dir;
    Main.Daemon daemon;

    @AfterEach
    void stop() {
        if (daemon != null) {
            daemon.stop();
        }
    }

    private String conf(String extra) {
        ProsodyServer s = prosody.server();
        return String.join("\n",
                FocusClientConfig.hocon(s, ProsodyExtension.FOCUS_USER, ProsodyExtension.FOCUS_PASSWORD),
                "jicofo.rest { host = \"127.0.0.1\", port = 0 }",
                "focus.startup.brewery-timeout = 1 second",
                extra);
    }

    @Test
    void keysReadOnceAtStartUpAreReportedAsNeedingARestartAndTheOthersAreApplied() throws Exception {
        Path file = write(dir, "jicofo.conf", conf(""));
        ConfigLoader loader = ConfigLoader.standard();
        ConfigHolder holder = new ConfigHolder(loader.load(file), () -> loader.load(file));
        daemon = Main.Daemon.start(holder, Clock.systemUTC());
        BridgeRegistry registry = daemon.injector().getInstance(BridgeRegistry.class);
        HealthService health = daemon.injector().getInstance(HealthService.class);
        Duration resetBefore = registry.settings().failureResetThreshold();

        write(dir, "jicofo.conf", conf(String.join("\n",
                "jicofo.bridge.health-checks.interval = 7 seconds",
                "jicofo.bridge.selection-strategy = round-robin",
                "jicofo.bridge.ice-failure-detection.enabled = true",
                "jicofo.bridge.failure-reset-threshold = 7 minutes",
                "jicofo.bridge.participant-rampup-interval = 7 seconds",
                "")));
        ConfigHolder.ReloadResult r = holder.reload();

        assertTrue(r.applied(), String.valueOf(r.error()));
        assertEquals(List.of("jicofo.bridge.failure-reset-threshold", "jicofo.bridge.health-checks.interval",
                "jicofo.bridge.ice-failure-detection.enabled", "jicofo.bridge.participant-rampup-interval",
                "jicofo.bridge.selection-strategy"), r.changed());
        assertEquals(List.of("jicofo.bridge.failure-reset-threshold", "jicofo.bridge.participant-rampup-interval"),
                r.needRestart());
        // the claims are true both ways
        assertEquals(Duration.ofSeconds(7), health.settings().interval());
        assertEquals("round-robin", daemon.injector().getInstance(ReloadableSelector.class).strategyName());
        assertEquals(resetBefore, registry.settings().failureResetThreshold());
    }
}
