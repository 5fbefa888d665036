package io.focus.sim.bridge;

import java.time.Duration;

import io.focus.sim.prosody.ProsodyServer;

/**
 * Settings of one simulated bridge. A mutable fluent builder; {@link SimBridge} copies what it needs.
 */
public final class SimBridgeOptions {
    /** Where the bridge announces itself. */
    public enum Mode {
        /** joins the brewery MUC and publishes stats as presence (today's Jitsi) */
        BREWERY,
        /** publishes stats as items to a pubsub node and answers IQs to its own JID (legacy setups) */
        PUBSUB
    }

    String xmppHost = "127.0.0.1";
    int xmppPort = 5222;
    String domain = "meet.test";
    String loginDomain;
    String user = "jvb";
    String password = "jvbpass";
    String resource;
    String nick;
    String breweryJid;
    String region;
    String relayId;
    String version = "2.3.SNAPSHOT";
    String release;
    Duration statsInterval = Duration.ofSeconds(5);
    double stressPerEndpoint;
    Mode mode = Mode.BREWERY;
    String pubsubService;
    String pubsubNode = "sharedStatsNode";
    boolean tls;
    boolean autoReconnect = true;
    boolean streamManagement;
    boolean publishUptime;
    boolean sctpSupported = true;
    long seed = System.nanoTime();
    int mediaPort = 10000;
    int wsPort = 9090;

    private SimBridgeOptions(String nick) {
        this.nick = nick;
    }

    public static SimBridgeOptions nick(String nick) {
        return new SimBridgeOptions(nick);
    }

    /** Options to connect to a test server: its address, domain and TLS setting. */
    public static SimBridgeOptions forServer(ProsodyServer server, String nick) {
        return new SimBridgeOptions(nick).xmpp(server.host(), server.port()).domain(server.domain())
                .tls(server.options().tls());
    }

    public SimBridgeOptions xmpp(String host, int port) { this.xmppHost = host; this.xmppPort = port; return this; }
    /** Main domain; login domain defaults to {@code auth.<domain>}, brewery to {@code jvbbrewery@internal.auth.<domain>}. */
    public SimBridgeOptions domain(String d) { this.domain = d; return this; }
    public SimBridgeOptions loginDomain(String d) { this.loginDomain = d; return this; }
    public SimBridgeOptions credentials(String user, String password) { this.user = user; this.password = password; return this; }
    public SimBridgeOptions resource(String r) { this.resource = r; return this; }
    public SimBridgeOptions brewery(String roomJid) { this.breweryJid = roomJid; return this; }
    public SimBridgeOptions region(String r) { this.region = r; return this; }
    public SimBridgeOptions relayId(String r) { this.relayId = r; return this; }
    public SimBridgeOptions version(String v) { this.version = v; return this; }
    /** Publishes a {@code release} stat (not in the captured presence; off when null). */
    public SimBridgeOptions release(String r) { this.release = r; return this; }
    public SimBridgeOptions statsInterval(Duration d) { this.statsInterval = d; return this; }
    /**
     * Load model: each local endpoint adds this much to the reported {@code stress_level} (on top of the base set
     * with {@code setStress}), as a real JVB's stress grows with its load. 0 (the default) keeps the stress fixed.
     */
    public SimBridgeOptions stressPerEndpoint(double perEndpoint) {
        if (perEndpoint < 0 || !Double.isFinite(perEndpoint)) {
            throw new IllegalArgumentException("stressPerEndpoint must be >= 0: " + perEndpoint);
        }
        this.stressPerEndpoint = perEndpoint;
        return this;
    }
    public SimBridgeOptions mode(Mode m) { this.mode = m; return this; }
    /** Legacy mode: publish to {@code node} on {@code service} (default {@code pubsub.<domain>}, {@code sharedStatsNode}). */
    public SimBridgeOptions pubsub(String service, String node) { this.mode = Mode.PUBSUB; this.pubsubService = service; this.pubsubNode = node; return this; }
    public SimBridgeOptions tls(boolean on) { this.tls = on; return this; }
    /** Reconnect and rejoin after a lost connection (e.g. a Prosody restart). Default on. */
    public SimBridgeOptions autoReconnect(boolean on) { this.autoReconnect = on; return this; }
    /**
     * Uses stream management (XEP-0198, with resumption) on the bridge's connection, as a real JVB does when Prosody
     * offers it. Then a {@link SimBridge#crash()} leaves a hibernating session in Prosody (it stays in the brewery
     * for {@code smacks_hibernation_time}, stanzas to it are queued): a killed bridge as Prosody sees it. Needs a
     * server with stream management. Default off.
     */
    public SimBridgeOptions streamManagement(boolean on) { this.streamManagement = on; return this; }
    /** Adds an {@code uptime} stat (seconds since this bridge (re)started; not in the captured presence). */
    public SimBridgeOptions publishUptime(boolean on) { this.publishUptime = on; return this; }
    /** When false, {@code <sctp>} requests are refused like the captured SCTP-less bridge. Default true. */
    public SimBridgeOptions sctpSupported(boolean on) { this.sctpSupported = on; return this; }
    public SimBridgeOptions seed(long s) { this.seed = s; return this; }
    public SimBridgeOptions ports(int media, int ws) { this.mediaPort = media; this.wsPort = ws; return this; }

    String loginDomainOrDefault() { return loginDomain != null ? loginDomain : "auth." + domain; }
    String breweryOrDefault() { return (breweryJid != null ? breweryJid : "jvbbrewery@internal.auth." + domain).toLowerCase(); }
    String pubsubServiceOrDefault() { return pubsubService != null ? pubsubService : "pubsub." + domain; }
    String relayIdOrDefault() { return relayId != null ? relayId : nick; }
}
