package io.focus.core.xmpp.connection;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigException;
import java.time.Duration;
import java.util.Objects;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Localpart;
import org.jxmpp.jid.parts.Resourcepart;
import org.jxmpp.stringprep.XmppStringprepException;

/**
 * One XMPP connection's settings, from Jicofo's {@code jicofo.xmpp.client.*} or {@code jicofo.xmpp.service.*} plus our
 * {@code focus.xmpp.*} knobs. Validated at construction; bad values stop start-up naming the key. The password never
 * appears in {@link #toString()}.
 */
public final class XmppSettings {
    public static final String CLIENT = "client";
    public static final String SERVICE = "service";

    private final String name;
    private final boolean enabled;
    private final String hostname;
    private final int port;
    private final String domain;
    private final String xmppDomain;
    private final String username;
    private final String password;
    private final String resource;
    private final boolean useTls;
    private final boolean disableCertificateVerification;
    private final Duration replyTimeout;
    private final Duration reconnectInitialDelay;
    private final Duration reconnectMaxDelay;
    private final boolean useStreamManagement;
    private final Duration pingInterval;
    private final Duration pingTimeout;

    private XmppSettings(Builder b) {
        this.name = Objects.requireNonNull(b.name, "name");
        this.enabled = b.enabled;
        String prefix = "jicofo.xmpp." + name + ".";
        this.hostname = b.hostname;
        this.port = b.port;
        this.domain = b.domain;
        this.xmppDomain = b.xmppDomain != null ? b.xmppDomain : b.domain;
        this.username = b.username;
        this.password = b.password;
        this.resource = b.resource;
        this.useTls = b.useTls;
        this.disableCertificateVerification = b.disableCertificateVerification;
        this.replyTimeout = b.replyTimeout;
        this.reconnectInitialDelay = b.reconnectInitialDelay;
        this.reconnectMaxDelay = b.reconnectMaxDelay;
        this.useStreamManagement = b.useStreamManagement;
        this.pingInterval = b.pingInterval;
        this.pingTimeout = b.pingTimeout;
        if (!enabled) {
            return;
        }
        require(hostname != null && !hostname.isBlank(), prefix + "hostname", "must be set");
        require(port > 0 && port < 65536, prefix + "port", "must be 1..65535, got " + port);
        require(domain != null && !domain.isBlank(), prefix + "domain", "must be set (the domain the focus logs in to)");
        check(prefix + "domain", () -> JidCreate.domainBareFrom(domain));
        check(prefix + "xmpp-domain", () -> JidCreate.domainBareFrom(xmppDomain));
        require(username != null && !username.isBlank(), prefix + "username", "must be set");
        check(prefix + "username", () -> Localpart.from(username));
        require(password != null && !password.isEmpty(), prefix + "password", "must be set");
        require(resource != null && !resource.isBlank(), prefix + "resource", "must be set");
        check(prefix + "resource", () -> Resourcepart.from(resource));
        requirePositive(replyTimeout, prefix + "reply-timeout");
        requirePositive(reconnectInitialDelay, "focus.xmpp.reconnect-initial-delay");
        requirePositive(reconnectMaxDelay, "focus.xmpp.reconnect-max-delay");
        require(reconnectMaxDelay.compareTo(reconnectInitialDelay) >= 0, "focus.xmpp.reconnect-max-delay",
                "must be >= focus.xmpp.reconnect-initial-delay");
        require(pingInterval != null && !pingInterval.isNegative(), "focus.xmpp.ping-interval",
                "must be a duration >= 0 (0 turns pings off), got " + pingInterval);
        requirePositive(pingTimeout, "focus.xmpp.ping-timeout");
    }

    /**
     * Reads {@code jicofo.xmpp.<which>} ({@code client} or {@code service}). The service connection falls back to the
     * client's domain, username and password when it does not set its own. A disabled service connection is not
     * validated.
     */
    public static XmppSettings fromConfig(Config c, String which) {
        if (!CLIENT.equals(which) && !SERVICE.equals(which)) {
            throw new IllegalArgumentException("which must be client or service: " + which);
        }
        String p = "jicofo.xmpp." + which + ".";
        String cp = "jicofo.xmpp.client.";
        // defaults come from reference.conf (one place); only keys without a default are optional here
        Config r = c.withFallback(ConfigFactory.defaultReference(XmppSettings.class.getClassLoader()));
        try {
            Builder b = builder(which)
                    .enabled(CLIENT.equals(which) || r.getBoolean(p + "enabled"))
                    .hostname(r.getString(p + "hostname"))
                    .port(r.getInt(p + "port"))
                    .domain(str(r, p + "domain", str(r, cp + "domain", null)))
                    .xmppDomain(str(r, p + "xmpp-domain", null))
                    .username(r.getString(p + "username"))
                    .password(str(r, p + "password", str(r, cp + "password", null)))
                    .resource(r.getString(p + "resource"))
                    .useTls(r.getBoolean(p + "use-tls"))
                    .disableCertificateVerification(r.getBoolean(p + "disable-certificate-verification"))
                    .replyTimeout(r.getDuration(p + "reply-timeout"))
                    .reconnectInitialDelay(r.getDuration("focus.xmpp.reconnect-initial-delay"))
                    .reconnectMaxDelay(r.getDuration("focus.xmpp.reconnect-max-delay"))
                    .useStreamManagement(r.getBoolean("focus.xmpp.use-stream-management"))
                    .pingInterval(r.getDuration("focus.xmpp.ping-interval"))
                    .pingTimeout(r.getDuration("focus.xmpp.ping-timeout"));
            return b.build();
        } catch (ConfigException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ConfigException.Generic(e.getMessage(), e);
        }
    }

    private static String str(Config c, String key, String dflt) {
        return c.hasPath(key) ? c.getString(key) : dflt;
    }

    private static void require(boolean ok, String key, String why) {
        if (!ok) {
            throw new ConfigException.Generic("Bad configuration: " + key + " " + why);
        }
    }

    private static void requirePositive(Duration d, String key) {
        require(d != null && !d.isNegative() && !d.isZero(), key, "must be a positive duration, got " + d);
    }

    private interface Check { Object run() throws XmppStringprepException; }

    private static void check(String key, Check check) {
        try {
            check.run();
        } catch (XmppStringprepException | RuntimeException e) {
            throw new ConfigException.Generic("Bad configuration: " + key + " is not valid: " + e.getMessage(), e);
        }
    }

    public static Builder builder(String name) { return new Builder(name); }

    /** {@code client} or {@code service}. */
    public String name() { return name; }
    public boolean enabled() { return enabled; }
    public String hostname() { return hostname; }
    public int port() { return port; }
    /** The domain the focus user logs in to (the connection's XMPP service domain). */
    public String domain() { return domain; }
    /** The main XMPP domain of the deployment; defaults to {@link #domain()}. */
    public String xmppDomain() { return xmppDomain; }
    public String username() { return username; }
    /** Never log this. */
    public String password() { return password; }
    public String resource() { return resource; }
    public boolean useTls() { return useTls; }
    public boolean disableCertificateVerification() { return disableCertificateVerification; }
    public Duration replyTimeout() { return replyTimeout; }
    public Duration reconnectInitialDelay() { return reconnectInitialDelay; }
    public Duration reconnectMaxDelay() { return reconnectMaxDelay; }
    public boolean useStreamManagement() { return useStreamManagement; }
    /**
     * {@code focus.xmpp.ping-interval}: how often the connection is checked with an XMPP ping (XEP-0199) when nothing
     * else arrived from the server meanwhile; zero turns pings off.
     */
    public Duration pingInterval() { return pingInterval; }
    /** {@code focus.xmpp.ping-timeout}: a ping unanswered for this long means the connection is dead. */
    public Duration pingTimeout() { return pingTimeout; }

    @Override
    public String toString() {
        return "XmppSettings[" + name + (enabled ? "" : " disabled") + " " + username + "@" + domain + "/" + resource
                + " via " + hostname + ":" + port + " tls=" + useTls
                + (disableCertificateVerification ? " (certificate verification disabled)" : "")
                + " reply-timeout=" + replyTimeout + " ping=" + pingInterval + "/" + pingTimeout + " password=" + (password == null ? "unset" : "***") + "]";
    }

    public static final class Builder {
        private final String name;
        private boolean enabled = true;
        private String hostname = "localhost";
        private int port = 5222;
        private String domain;
        private String xmppDomain;
        private String username = "focus";
        private String password;
        private String resource = "focus";
        private boolean useTls = true;
        private boolean disableCertificateVerification;
        private Duration replyTimeout = Duration.ofSeconds(15);
        private Duration reconnectInitialDelay = Duration.ofMillis(250);
        private Duration reconnectMaxDelay = Duration.ofSeconds(30);
        private boolean useStreamManagement;
        private Duration pingInterval = Duration.ofSeconds(10);
        private Duration pingTimeout = Duration.ofSeconds(5);

        private Builder(String name) { this.name = name; }

        public Builder enabled(boolean v) { enabled = v; return this; }
        public Builder hostname(String v) { hostname = v; return this; }
        public Builder port(int v) { port = v; return this; }
        public Builder domain(String v) { domain = v; return this; }
        public Builder xmppDomain(String v) { xmppDomain = v; return this; }
        public Builder username(String v) { username = v; return this; }
        public Builder password(String v) { password = v; return this; }
        public Builder resource(String v) { resource = v; return this; }
        public Builder useTls(boolean v) { useTls = v; return this; }
        public Builder disableCertificateVerification(boolean v) { disableCertificateVerification = v; return this; }
        public Builder replyTimeout(Duration v) { replyTimeout = v; return this; }
        public Builder reconnectInitialDelay(Duration v) { reconnectInitialDelay = v; return this; }
        public Builder reconnectMaxDelay(Duration v) { reconnectMaxDelay = v; return this; }
        public Builder useStreamManagement(boolean v) { useStreamManagement = v; return this; }
        public Builder pingInterval(Duration v) { pingInterval = v; return this; }
        public Builder pingTimeout(Duration v) { pingTimeout = v; return this; }
        public XmppSettings build() { return new XmppSettings(this); }
    }
}
