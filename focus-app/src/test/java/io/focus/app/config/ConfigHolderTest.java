package io.focus.app.config;

import static io.focus.app.testing.TestFiles.VALID;
import static io.focus.app.testing.TestFiles.write;
import static org.junit.jupiter.api.Assertions.*;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigHolderTest {
    @TempDir Path dir;
    Path file;
    ConfigHolder holder;
    final AtomicReference<Double> applied = new AtomicReference<>();

    @BeforeEach
    void setUp() throws Exception {
        file = write(dir, "jicofo.conf", VALID + "jicofo.bridge.stress-threshold = 0.8\n");
        ConfigLoader loader = ConfigLoader.standard();
        holder = new ConfigHolder(loader.load(file), () -> loader.load(file));
        // a selection-settings-like listener: validates its own value, applies on commit
        holder.addListener(new Reloadable() {
            @Override public String name() { return "selection settings"; }
            @Override public List<String> keys() { return List.of("jicofo.bridge.stress-threshold"); }
            @Override public Runnable prepare(Config next) throws ConfigError {
                double t = next.getDouble("jicofo.bridge.stress-threshold");
                if (t > 1.5) {
                    throw new ConfigError("jicofo.bridge.stress-threshold", "jicofo.bridge.stress-threshold = '" + t + "': expected at most 1.5");
                }
                return () -> applied.set(t);
            }
        });
    }

    @Test
    void goodReloadIsAppliedAndNamesRestartOnlyChanges() {
        write(dir, "jicofo.conf", VALID.replace("port = 0", "port = 9999") + "jicofo.bridge.stress-threshold = 0.6\n");
        ConfigHolder.ReloadResult r = holder.reload();
        assertTrue(r.applied(), String.valueOf(r.error()));
        assertEquals(0.6, applied.get(), 1e-9);
        assertEquals(0.6, holder.current().getDouble("jicofo.bridge.stress-threshold"), 1e-9);
        assertEquals(List.of("jicofo.bridge.stress-threshold", "jicofo.rest.port"), r.changed());
        assertEquals(List.of("jicofo.rest.port"), r.needRestart());
    }

    @Test
    void unreadableOrInvalidReloadKeepsTheOldConfig() {
        write(dir, "jicofo.conf", VALID + "jicofo.bridge.health-checks.interval = often\n");
        ConfigHolder.ReloadResult r = holder.reload();
        assertFalse(r.applied());
        assertTrue(r.error().startsWith("jicofo.bridge.health-checks.interval = 'often'"), r.error());
        assertEquals(0.8, holder.current().getDouble("jicofo.bridge.stress-threshold"), 1e-9);
        assertNull(applied.get(), "no listener was told");
    }

    @Test
    void aListenerRefusingKeepsEveryoneOnTheOldConfig() {
        List<String> committed = new ArrayList<>();
        holder.addListener(new Reloadable() {
            @Override public String name() { return "second"; }
            @Override public List<String> keys() { return List.of(); }
            @Override public Runnable prepare(Config next) { return () -> committed.add("second"); }
        });
        write(dir, "jicofo.conf", VALID + "jicofo.bridge.stress-threshold = 2.0\n");
        ConfigHolder.ReloadResult r = holder.reload();
        assertFalse(r.applied());
        assertTrue(r.error().contains("expected at most 1.5"), r.error());
        assertTrue(committed.isEmpty());
        assertNull(applied.get());
        assertEquals(0.8, holder.current().getDouble("jicofo.bridge.stress-threshold"), 1e-9);
    }

    /** SIGHUP reloads run on a thread made by the signal thread, which has no context class loader. */
    @Test
    void reloadWorksOnAThreadWithoutContextClassLoader() throws Exception {
        write(dir, "jicofo.conf", VALID + "jicofo.bridge.stress-threshold = 0.7\n");
        AtomicReference<ConfigHolder.ReloadResult> result = new AtomicReference<>();
        Thread t = new Thread(() -> result.set(holder.reload()));
        t.setContextClassLoader(null);
        t.start();
        t.join();
        assertTrue(result.get().applied(), String.valueOf(result.get().error()));
        assertEquals(0.7, applied.get(), 1e-9);
    }

    /** Only what a listener applies is reloadable; a prefix key covers the keys under it, a full key only itself. */
    @Test
    void aKeyIsReloadableOnlyWhenAListenerAppliesIt() {
        assertTrue(holder.reloadable("jicofo.bridge.stress-threshold"));
        assertFalse(holder.reloadable("jicofo.bridge.stress-threshold-x"));
        assertFalse(holder.reloadable("jicofo.bridge.health-checks.interval"), "nobody here applies it");
        holder.addListener(new Reloadable() {
            @Override public String name() { return "health"; }
            @Override public List<String> keys() { return List.of("jicofo.bridge.health-checks."); }
            @Override public Runnable prepare(Config next) { return () -> { }; }
        });
        assertTrue(holder.reloadable("jicofo.bridge.health-checks.interval"));
        assertFalse(holder.reloadable("jicofo.bridge.brewery-jid"));
        assertFalse(holder.reloadable("jicofo.xmpp.client.password"));
    }

    /**
     * A key under jicofo.bridge that nobody re-reads (the registry reads failure-reset-threshold once) is applied to
     * the held configuration but reported as needing a restart, next to the reloadable change that was applied.
     */
    @Test
    void aChangedKeyNoListenerAppliesIsReportedAsNeedingARestart() {
        write(dir, "jicofo.conf", VALID + "jicofo.bridge.stress-threshold = 0.6\n"
                + "jicofo.bridge.failure-reset-threshold = 5 minutes\n");
        ConfigHolder.ReloadResult r = holder.reload();
        assertTrue(r.applied(), String.valueOf(r.error()));
        assertEquals(0.6, applied.get(), 1e-9);
        assertEquals(List.of("jicofo.bridge.failure-reset-threshold", "jicofo.bridge.stress-threshold"), r.changed());
        assertEquals(List.of("jicofo.bridge.failure-reset-threshold"), r.needRestart());
    }
}
