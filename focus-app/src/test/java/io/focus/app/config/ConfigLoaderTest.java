package io.focus.app.config;

import static io.focus.app.testing.TestFiles.VALID;
import static io.focus.app.testing.TestFiles.write;
import static org.junit.jupiter.api.Assertions.*;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.focus.core.xmpp.connection.XmppSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {
    @TempDir Path dir;

    private Config load(String hocon) throws ConfigError {
        return ConfigLoader.standard().load(write(dir, "jicofo.conf", hocon)).config();
    }

    @Test
    void readsJicofoKeysAndReferenceDefaults() throws Exception {
        Config c = load(VALID + "jicofo.bridge.health-checks.interval = 7 seconds\njicofo.bridge.stress-threshold = 0.7\n");
        assertEquals("JvbBrewery@internal.auth.meet.test", c.getString("jicofo.bridge.brewery-jid"));
        assertEquals(Duration.ofSeconds(7), c.getDuration("jicofo.bridge.health-checks.interval"));
        assertEquals(0.7, c.getDouble("jicofo.bridge.stress-threshold"), 1e-9);
        // defaults from the modules' reference.conf (focus-core's and focus-app's)
        assertEquals(Duration.ofSeconds(20), c.getDuration("jicofo.bridge.participant-rampup-interval"));
        assertEquals(8888, ConfigLoader.standard().load(write(dir, "b.conf",
                VALID.replace("port = 0", "port = 8888"))).config().getInt("jicofo.rest.port"));
        assertEquals("127.0.0.1", c.getString("jicofo.rest.host"));
    }

    @Test
    void legacyKeysMapToTheirHoconTargetsWithMilliseconds() throws Exception {
        write(dir, "sip-communicator.properties", """
                # what operators still have
                org.jitsi.jicofo.BRIDGE_MUC=JvbBrewery@internal.auth.legacy.test
                org.jitsi.jicofo.HEALTH_CHECK_INTERVAL=5000
                org.jitsi.jicofo.HEALTH_CHECK_2NDTRY_DELAY=2500
                org.jitsi.focus.BRIDGE_FAILURE_RESET_THRESHOLD=30000
                org.jitsi.jicofo.BridgeSelector.BRIDGE_SELECTION_STRATEGY=RegionBasedBridgeSelectionStrategy
                org.jitsi.jicofo.BridgeSelector.MAX_PARTICIPANTS_PER_BRIDGE=50
                org.jitsi.jicofo.BridgeSelector.LOCAL_REGION=eu-west
                org.jitsi.jicofo.ALWAYS_TRUST_MODE_ENABLED=true
                org.jitsi.jicofo.XMPP_MUC_COMPONENT_PREFIX=muc
                org.jitsi.jicofo.auth.URL=XMPP:meet.test
                org.jitsi.jicofo.BridgeSelector.MAX_BRIDGE_PACKET_RATE=50000
                """);
        LoadedConfig l = ConfigLoader.standard().load(write(dir, "jicofo.conf", VALID));
        Config c = l.config();
        assertEquals("JvbBrewery@internal.auth.legacy.test", c.getString("jicofo.bridge.brewery-jid"));
        assertTrue(c.getBoolean("jicofo.bridge.health-checks.enabled"));
        assertEquals(Duration.ofSeconds(5), c.getDuration("jicofo.bridge.health-checks.interval"));
        assertEquals(Duration.ofMillis(2500), c.getDuration("jicofo.bridge.health-checks.retry-delay"));
        assertEquals(Duration.ofSeconds(30), c.getDuration("jicofo.bridge.failure-reset-threshold"));
        assertEquals("RegionBasedBridgeSelectionStrategy", c.getString("jicofo.bridge.selection-strategy"));
        assertEquals(50, c.getInt("jicofo.bridge.max-bridge-participants"));
        assertEquals("eu-west", c.getString("jicofo.local-region"));
        assertTrue(c.getBoolean("jicofo.xmpp.client.disable-certificate-verification"));
        assertEquals("muc.meet.test", c.getString("jicofo.xmpp.client.conference-muc-jid"));
        assertEquals("XMPP", c.getString("jicofo.authentication.type"));
        assertEquals("meet.test", c.getString("jicofo.authentication.login-url"));
        assertTrue(l.warnings().stream().anyMatch(w -> w.contains("MAX_BRIDGE_PACKET_RATE")), l.warnings().toString());
        assertTrue(l.sources().get(l.sources().size() - 1).endsWith("sip-communicator.properties"));
    }

    @Test
    void healthCheckIntervalZeroDisablesHealthChecks() throws Exception {
        write(dir, "sip-communicator.properties", "org.jitsi.jicofo.HEALTH_CHECK_INTERVAL=-1\n");
        Config c = load(VALID + "jicofo.bridge.health-checks { enabled = true, interval = 10 seconds }\n");
        assertFalse(c.getBoolean("jicofo.bridge.health-checks.enabled"));
        assertEquals(Duration.ofSeconds(10), c.getDuration("jicofo.bridge.health-checks.interval"));
    }

    @ParameterizedTest
    @CsvSource({"org.jitsi.focus.STATS_PUBSUB_NODE", "org.jitsi.jicofo.STATS_PUBSUB_NODE"})
    void legacyPubsubSetupTurnsOnPubsubDiscovery(String nodeKey) throws Exception {
        // the setup of ../shared/seeds/002: ADDRESS + STATS_PUBSUB_NODE in jicofo's sip-communicator.properties
        write(dir, "sip-communicator.properties",
                "org.jitsi.focus.pubsub.ADDRESS=meet.test\n" + nodeKey + "=sharedStatsNode\n");
        Config c = load(VALID);
        assertEquals("meet.test", c.getString("focus.pubsub.service"));
        assertEquals("sharedStatsNode", c.getString("focus.pubsub.node"));
        // the brewery MUC stays on since a brewery JID is configured
        assertEquals("both", c.getString("focus.discovery.mode"));
    }

    @Test
    void pubsubOnlySetupNeedsNoBrewery() throws Exception {
        write(dir, "sip-communicator.properties",
                "org.jitsi.focus.pubsub.ADDRESS=meet.test\norg.jitsi.focus.STATS_PUBSUB_NODE=sharedStatsNode\n");
        Config c = load(VALID.replace("bridge.brewery-jid = \"JvbBrewery@internal.auth.meet.test\"", ""));
        assertEquals("pubsub", c.getString("focus.discovery.mode"));
        assertFalse(c.hasPath("jicofo.bridge.brewery-jid"));
    }

    @Test
    void bridgeMucXmppHostEnablesTheServiceConnection() throws Exception {
        write(dir, "sip-communicator.properties", """
                org.jitsi.jicofo.BRIDGE_MUC_XMPP_HOST=xmpp-internal.test
                org.jitsi.jicofo.BRIDGE_MUC_XMPP_PORT=6222
                org.jitsi.jicofo.BRIDGE_MUC_XMPP_USER_DOMAIN=auth.meet.test
                org.jitsi.jicofo.BRIDGE_MUC_XMPP_USER=focus
                org.jitsi.jicofo.BRIDGE_MUC_XMPP_USER_PASS=svc-secret
                """);
        Config c = load(VALID);
        assertTrue(c.getBoolean("jicofo.xmpp.service.enabled"));
        assertEquals("xmpp-internal.test", c.getString("jicofo.xmpp.service.hostname"));
        assertEquals(6222, c.getInt("jicofo.xmpp.service.port"));
        assertEquals("svc-secret", c.getString("jicofo.xmpp.service.password"));
    }

    @Test
    void precedenceShellBelowHoconBelowLegacyBelowOverrides() throws Exception {
        write(dir, "config", """
                # Jitsi Conference Focus settings
                JICOFO_HOST=xmpp.shell.test
                JICOFO_HOSTNAME=shell.test
                JICOFO_AUTH_USER=shelluser
                export JICOFO_AUTH_PASSWORD="from-shell"
                JICOFO_OPTS=""
                """);
        write(dir, "sip-communicator.properties", "org.jitsi.jicofo.BridgeSelector.LOCAL_REGION=legacy-region\n");
        String hocon = """
                jicofo.xmpp.client.username = hoconuser
                jicofo.local-region = hocon-region
                jicofo.bridge.stress-threshold = 0.6
                """;
        Config overrides = ConfigFactory.parseMap(Map.of("jicofo.bridge.stress-threshold", "0.5"));
        Config c = new ConfigLoader(ConfigValidators.standard(), overrides)
                .load(write(dir, "jicofo.conf", hocon)).config();
        // shell fills in what the HOCON file leaves unset (as Jicofo's postinst does)
        assertEquals("shell.test", c.getString("jicofo.xmpp.client.xmpp-domain"));
        assertEquals("auth.shell.test", c.getString("jicofo.xmpp.client.domain"));
        assertEquals("xmpp.shell.test", c.getString("jicofo.xmpp.client.hostname"));
        assertEquals("from-shell", c.getString("jicofo.xmpp.client.password"));
        assertEquals("JvbBrewery@internal.auth.shell.test", c.getString("jicofo.bridge.brewery-jid"));
        assertEquals("focus.shell.test", c.getString("jicofo.xmpp.client.client-proxy"));
        // HOCON beats shell
        assertEquals("hoconuser", c.getString("jicofo.xmpp.client.username"));
        // legacy beats HOCON
        assertEquals("legacy-region", c.getString("jicofo.local-region"));
        // explicit overrides (system properties) beat all
        assertEquals(0.5, c.getDouble("jicofo.bridge.stress-threshold"), 1e-9);
    }

    @Test
    void shellConfigIsParsedNotExecuted() {
        Map<String, String> v = ShellConfig.parse(List.of(
                "# comment", "", "JICOFO_HOSTNAME=meet.test # trailing", "JICOFO_AUTH_PASSWORD='p a s s'",
                "JICOFO_OPTS=\"$(rm -rf /)\"", "echo hello", "  export JICOFO_AUTH_USER=focus"));
        assertEquals("meet.test", v.get("JICOFO_HOSTNAME"));
        assertEquals("p a s s", v.get("JICOFO_AUTH_PASSWORD"));
        assertEquals("$(rm -rf /)", v.get("JICOFO_OPTS"));
        assertEquals("focus", v.get("JICOFO_AUTH_USER"));
        assertEquals(4, v.size());
    }

    /** Every invalid case stops with one line that names the key (and for bad values, the value). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "missing brewery        | jicofo.bridge.brewery-jid = null                         | jicofo.bridge.brewery-jid is not set",
            "brewery not a JID      | jicofo.bridge.brewery-jid = \"jvbbrewery\"               | jicofo.bridge.brewery-jid = 'jvbbrewery'",
            "missing password       | jicofo.xmpp.client.password = null                       | jicofo.xmpp.client.password is not set",
            "empty password         | jicofo.xmpp.client.password = \"\"                       | jicofo.xmpp.client.password is not set",
            "missing xmpp domain    | jicofo.xmpp.client { xmpp-domain = null, domain = null } | jicofo.xmpp.client.xmpp-domain is not set",
            "bad discovery mode     | focus.discovery.mode = carrier-pigeon                    | focus.discovery.mode = 'carrier-pigeon'",
            "pubsub without service | focus.discovery.mode = both                              | focus.pubsub.service is not set",
            "pubsub without node    | focus { discovery.mode = both, pubsub.service = x, pubsub.node = null } | focus.pubsub.node is not set",
            "unknown strategy       | jicofo.bridge.selection-strategy = NoSuchStrategy        | jicofo.bridge.selection-strategy = 'NoSuchStrategy'",
            "bad health misses      | focus.health.misses = 0                                  | focus.health.misses",
            "bad suspect ice count  | focus.bridge.suspect.ice-failures = 0                    | focus.bridge.suspect.ice-failures",
            "bad suspect factor     | focus.bridge.suspect.stats-overdue-factor = 0.5          | focus.bridge.suspect.stats-overdue-factor",
            "bad colibri deadline   | focus.bridge.suspect.colibri-deadline = soon             | focus.bridge.suspect.colibri-deadline = 'soon'",
            "bad probe timeout      | focus.bridge.suspect.probe-timeout = 0 ms                | focus.bridge.suspect.probe-timeout",
            "stanza limit too low   | focus.xmpp.max-stanza-bytes = 1000                       | focus.xmpp.max-stanza-bytes",
            "stanza limit no size   | focus.xmpp.max-stanza-bytes = huge                       | focus.xmpp.max-stanza-bytes",
            "sender rate negative   | focus.xmpp.max-stanzas-per-second-per-sender = -1        | focus.xmpp.max-stanzas-per-second-per-sender",
            "sender rate no number  | focus.xmpp.max-stanzas-per-second-per-sender = fast      | focus.xmpp.max-stanzas-per-second-per-sender = 'fast'",
            "sender burst zero      | focus.xmpp.sender-burst = 0                              | focus.xmpp.sender-burst",
            "malformed duration     | jicofo.bridge.health-checks.interval = \"10 parsecs\"    | jicofo.bridge.health-checks.interval = '10 parsecs'",
            "negative duration      | jicofo.bridge.failure-reset-threshold = -5s              | jicofo.bridge.failure-reset-threshold = '-5s'",
            "our duration           | focus.health.timeout = soon                              | focus.health.timeout = 'soon'",
            "bad port               | jicofo.rest.port = 99999                                 | jicofo.rest.port = '99999'",
            "bad number             | jicofo.bridge.stress-threshold = high                    | jicofo.bridge.stress-threshold = 'high'",
            "bad boolean            | jicofo.octo.enabled = maybe                              | jicofo.octo.enabled = 'maybe'",
            "bad relay sctp         | jicofo.octo.sctp-datachannels = sometimes                | jicofo.octo.sctp-datachannels = 'sometimes'",
            "bad relay attempts     | focus.octo.relay-max-attempts = many                     | focus.octo.relay-max-attempts = 'many'",
            "bad relay backoff      | focus.octo.relay-retry-backoff = -1s                     | focus.octo.relay-retry-backoff = '-1s'",
            "strategy not a string  | jicofo.bridge.selection-strategy = [a, b]                | jicofo.bridge.selection-strategy = ",
            "region groups shape    | jicofo.bridge.region-groups = [\"us-east\"]              | jicofo.bridge.region-groups = ",
            "service empty password | jicofo.xmpp.service { enabled = true, password = \"\" }   | jicofo.xmpp.service.password is not set",
            "drain rate zero        | focus.drain.rate = 0                                     | focus.drain.rate = '0'",
            "drain interval zero    | focus.drain.interval = 0s                                | focus.drain.interval = '0s'",
            "drain move not boolean | focus.drain.move = sometimes                             | focus.drain.move = 'sometimes'",
            "no HTTP threads        | focus.rest.threads = 0                                   | focus.rest.threads = '0'",
    })
    void invalidConfigNamesTheKey(String name, String line, String expectedStart) {
        ConfigError e = assertThrows(ConfigError.class, () -> load(VALID + line + "\n"));
        assertTrue(e.getMessage().startsWith(expectedStart.strip()), e.getMessage());
        assertTrue(e.getMessage().contains("expected"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        assertFalse(e.getMessage().contains("s3cret-focus"), "no secrets: " + e.getMessage());
    }

    @Test
    void relaySctpFollowsParticipantSctpUnlessSetAsInJicofo() throws Exception {
        var settings = io.focus.conference.ConferenceSettings.fromConfig(load(VALID));
        assertTrue(settings.sctp());
        assertTrue(settings.octoSctp(), "default: jicofo.sctp.enabled (true)");
        assertEquals(3, settings.relayMaxAttempts());
        assertEquals(Duration.ofSeconds(1), settings.relayRetryBackoff());

        settings = io.focus.conference.ConferenceSettings.fromConfig(load(VALID + "jicofo.sctp.enabled = false\n"));
        assertFalse(settings.sctp());
        assertFalse(settings.octoSctp(), "follows jicofo.sctp.enabled set in the operator's file");

        settings = io.focus.conference.ConferenceSettings.fromConfig(load(VALID
                + "jicofo.sctp.enabled = false\njicofo.octo.sctp-datachannels = true\n"));
        assertFalse(settings.sctp());
        assertTrue(settings.octoSctp(), "an explicit value wins");

        settings = io.focus.conference.ConferenceSettings.fromConfig(load(VALID
                + "jicofo.octo.sctp-datachannels = false\n"));
        assertTrue(settings.sctp());
        assertFalse(settings.octoSctp());
    }

    @Test
    void serviceConnectionWithoutItsOwnCredentialsUsesTheClients() throws Exception {
        Config c = load(VALID + "jicofo.xmpp.service { enabled = true, hostname = svc.example }\n");
        XmppSettings svc =
                XmppSettings.fromConfig(c, XmppSettings.SERVICE);
        XmppSettings client =
                XmppSettings.fromConfig(c, XmppSettings.CLIENT);
        assertEquals("svc.example", svc.hostname());
        assertEquals(client.domain(), svc.domain());
        assertEquals(client.username(), svc.username());
    }

    @Test
    void malformedLegacyMillisecondsNameTheLegacyKey() {
        write(dir, "sip-communicator.properties", "org.jitsi.focus.BRIDGE_FAILURE_RESET_THRESHOLD=1min\n");
        ConfigError e = assertThrows(ConfigError.class, () -> load(VALID));
        assertTrue(e.getMessage().startsWith("org.jitsi.focus.BRIDGE_FAILURE_RESET_THRESHOLD = '1min'"), e.getMessage());
        assertTrue(e.getMessage().contains("milliseconds"), e.getMessage());
    }

    @Test
    void missingFileIsNamed() {
        Path missing = dir.resolve("nope.conf");
        ConfigError e = assertThrows(ConfigError.class, () -> ConfigLoader.standard().load(missing));
        assertTrue(e.getMessage().contains(missing.toString()) && e.getMessage().contains("missing"), e.getMessage());
    }

    @Test
    void unreadableFileIsNamed() throws Exception {
        Assumptions.assumeFalse("root".equals(System.getProperty("user.name")) && canRootRead(),
                "running as root: every file is readable, the check cannot be exercised");
        Path f = write(dir, "jicofo.conf", VALID);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("---------"));
        ConfigError e = assertThrows(ConfigError.class, () -> ConfigLoader.standard().load(f));
        assertTrue(e.getMessage().contains("not readable"), e.getMessage());
    }

    private boolean canRootRead() throws Exception {
        Path probe = write(dir, "probe", "x");
        Files.setPosixFilePermissions(probe, PosixFilePermissions.fromString("---------"));
        return Files.isReadable(probe);
    }

    @Test
    void unparseableHoconIsNamed() {
        ConfigError e = assertThrows(ConfigError.class, () -> load("jicofo { bridge { "));
        assertTrue(e.getMessage().contains("jicofo.conf"), e.getMessage());
        assertTrue(e.getMessage().contains("expected HOCON"), e.getMessage());
    }

    @Test
    void effectiveSettingsMaskSecrets() throws Exception {
        Config c = load(VALID + "focus.rest.token = \"tok-123\"\n");
        String out = ConfigLoader.renderEffective(c);
        assertFalse(out.contains("s3cret-focus"), out);
        assertFalse(out.contains("tok-123"), out);
        assertTrue(out.contains("JvbBrewery@internal.auth.meet.test"), out);
        assertTrue(out.contains("********"), out);
    }

    @Test
    void configPathPrefersArgumentThenEnvironmentThenConfigFileProperty() {
        Map<String, String> env = Map.of("FOCUS_CONFIG", "/b.conf");
        assertEquals(Path.of("/a.conf"), ConfigLoader.configPath("/a.conf", env, "/c.conf"));
        assertEquals(Path.of("/b.conf"), ConfigLoader.configPath(null, env, "/c.conf"));
        // Jicofo's way: -Dconfig.file in JAVA_SYS_PROPS
        assertEquals(Path.of("/c.conf"), ConfigLoader.configPath(null, Map.of(), "/c.conf"));
        assertEquals(ConfigLoader.DEFAULT_CONFIG, ConfigLoader.configPath(null, Map.of(), null));
    }
}
