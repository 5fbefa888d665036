package io.focus.sim.prosody;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How a test Prosody is configured. Immutable; use the {@code with...} methods to derive variants.
 *
 * <p>Defaults: domain {@code meet.test}, no TLS, no stream management ({@code smacks} makes sequential IQs about
 * 15x slower, see prosody-and-smack.md), admins {@code focus@auth.<domain>}, port chosen freely on 127.0.0.1.
 */
public final class ProsodyOptions {
    private final String domain;
    private final boolean tls;
    private final boolean smacks;
    private final List<String> admins;
    private final int port;
    private final String extraConfig;
    private final Duration authHibernation;
    private final Map<String, String> components;

    private ProsodyOptions(String domain, boolean tls, boolean smacks, List<String> admins, int port, String extraConfig) {
        this(domain, tls, smacks, admins, port, extraConfig, null, Map.of());
    }

    private ProsodyOptions(String domain, boolean tls, boolean smacks, List<String> admins, int port, String extraConfig,
                           Duration authHibernation, Map<String, String> components) {
        this.domain = Objects.requireNonNull(domain, "domain");
        this.tls = tls;
        this.smacks = smacks;
        this.admins = List.copyOf(admins);
        this.port = port;
        this.extraConfig = extraConfig == null ? "" : extraConfig;
        this.authHibernation = authHibernation;
        this.components = Collections.unmodifiableMap(new LinkedHashMap<>(components));
    }

    public static ProsodyOptions defaults() {
        return new ProsodyOptions("meet.test", false, false, List.of("focus@auth.meet.test"), 0, "");
    }

    /** The main domain; the other hosts are derived: {@code guest.}, {@code auth.}, {@code internal.auth.}, {@code conference.}, {@code pubsub.}. */
    public ProsodyOptions withDomain(String d) {
        List<String> a = admins.equals(List.of("focus@auth." + domain)) ? List.of("focus@auth." + d) : admins;
        return new ProsodyOptions(d, tls, smacks, a, port, extraConfig, authHibernation, components);
    }

    /** TLS with a self-signed certificate made by {@code openssl}; when on, clients must encrypt. */
    public ProsodyOptions withTls(boolean on) {
        return new ProsodyOptions(domain, on, smacks, admins, port, extraConfig, authHibernation, components);
    }

    /** Stream management (XEP-0198, Prosody's {@code smacks}). Off by default. */
    public ProsodyOptions withStreamManagement(boolean on) {
        return new ProsodyOptions(domain, tls, on, admins, port, extraConfig, authHibernation, components);
    }

    public ProsodyOptions withAdmins(List<String> a) {
        return new ProsodyOptions(domain, tls, smacks, a, port, extraConfig, authHibernation, components);
    }

    /** A fixed c2s port; 0 (the default) picks a free loopback port. */
    public ProsodyOptions withPort(int p) {
        return new ProsodyOptions(domain, tls, smacks, admins, p, extraConfig, authHibernation, components);
    }

    /** Lua appended to the global section of the config (before the hosts). */
    public ProsodyOptions withExtraGlobalConfig(String lua) {
        return new ProsodyOptions(domain, tls, smacks, admins, port, lua, authHibernation, components);
    }

    /**
     * {@code smacks_hibernation_time} for {@code auth.<domain>} (where the focus and the bridges log in), as stock
     * Jitsi installs set it (15 s, see the real-call recordings' set-up): how long Prosody keeps the session of a
     * stream-management client whose connection died without a stream close (it stays in its MUC rooms, stanzas to
     * it are queued). Needs {@link #withStreamManagement} on; null (the default) leaves Prosody's own default.
     */
    public ProsodyOptions withAuthHibernationTime(Duration d) {
        if (d != null && (d.isNegative() || d.isZero() || d.toMillis() % 1000 != 0)) {
            throw new IllegalArgumentException("hibernation time must be a positive number of whole seconds: " + d);
        }
        return new ProsodyOptions(domain, tls, smacks, admins, port, extraConfig, d, components);
    }

    /**
     * External components (XEP-0114, {@code jabber:component:accept}): one {@code Component "<host>"} entry with its
     * {@code component_secret} per map entry (host, e.g. {@code jvb1.meet.test}, to secret), as the older Jitsi set-up
     * had its videobridges (seed 002). The server then listens for components on a free loopback port of its own
     * ({@link ProsodyServer#componentPort()}). Nothing has to connect: Prosody answers stanzas to a component whose
     * connection is down itself, with {@code remote-server-timeout} "Component unavailable" and
     * {@code <not-connected xmlns='xmpp:prosody.im/protocol/component'/>}. Empty (the default): no components.
     */
    public ProsodyOptions withExternalComponents(Map<String, String> hostToSecret) {
        hostToSecret.forEach((h, secret) -> {
            if (h == null || h.isBlank() || h.contains("\"") || secret == null || secret.isEmpty() || secret.contains("\"")) {
                throw new IllegalArgumentException("a component needs a host and a secret without quotes: " + h);
            }
        });
        return new ProsodyOptions(domain, tls, smacks, admins, port, extraConfig, authHibernation, hostToSecret);
    }

    public String domain() { return domain; }
    public boolean tls() { return tls; }
    public boolean streamManagement() { return smacks; }
    public List<String> admins() { return admins; }
    public int port() { return port; }
    public String extraGlobalConfig() { return extraConfig; }
    /** {@code smacks_hibernation_time} of {@code auth.<domain>}, or null for Prosody's default. */
    public Duration authHibernationTime() { return authHibernation; }
    /** External component hosts to their secrets (insertion order); empty when there are none. */
    public Map<String, String> externalComponents() { return components; }

    @Override
    public String toString() {
        return "ProsodyOptions{domain=" + domain + ", tls=" + tls + ", smacks=" + smacks + ", admins=" + admins
                + ", port=" + port + (authHibernation == null ? "" : ", authHibernation=" + authHibernation)
                + (components.isEmpty() ? "" : ", components=" + components.keySet()) + "}";
    }
}
