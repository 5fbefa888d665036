package io.focus.sim.prosody;

import java.time.Duration;
import java.util.List;
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

    private ProsodyOptions(String domain, boolean tls, boolean smacks, List<String> admins, int port, String extraConfig) {
        this(domain, tls, smacks, admins, port, extraConfig, null);
    }

    private ProsodyOptions(String domain, boolean tls, boolean smacks, List<String> admins, int port, String extraConfig,
                           Duration authHibernation) {
        this.domain = Objects.requireNonNull(domain, "domain");
        this.tls = tls;
        this.smacks = smacks;
        this.admins = List.copyOf(admins);
        this.port = port;
        this.extraConfig = extraConfig == null ? "" : extraConfig;
        this.authHibernation = authHibernation;
    }

    public static ProsodyOptions defaults() {
        return new ProsodyOptions("meet.test", false, false, List.of("focus@auth.meet.test"), 0, "");
    }

    /** The main domain; the other hosts are derived: {@code guest.}, {@code auth.}, {@code internal.auth.}, {@code conference.}, {@code pubsub.}. */
    public ProsodyOptions withDomain(String d) {
        List<String> a = admins.equals(List.of("focus@auth." + domain)) ? List.of("focus@auth." + d) : admins;
        return new ProsodyOptions(d, tls, smacks, a, port, extraConfig, authHibernation);
    }

    /** TLS with a self-signed certificate made by {@code openssl}; when on, clients must encrypt. */
    public ProsodyOptions withTls(boolean on) {
        return new ProsodyOptions(domain, on, smacks, admins, port, extraConfig, authHibernation);
    }

    /** Stream management (XEP-0198, Prosody's {@code smacks}). Off by default. */
    public ProsodyOptions withStreamManagement(boolean on) {
        return new ProsodyOptions(domain, tls, on, admins, port, extraConfig, authHibernation);
    }

    public ProsodyOptions withAdmins(List<String> a) {
        return new ProsodyOptions(domain, tls, smacks, a, port, extraConfig, authHibernation);
    }

    /** A fixed c2s port; 0 (the default) picks a free loopback port. */
    public ProsodyOptions withPort(int p) {
        return new ProsodyOptions(domain, tls, smacks, admins, p, extraConfig, authHibernation);
    }

    /** Lua appended to the global section of the config (before the hosts). */
    public ProsodyOptions withExtraGlobalConfig(String lua) {
        return new ProsodyOptions(domain, tls, smacks, admins, port, lua, authHibernation);
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
        return new ProsodyOptions(domain, tls, smacks, admins, port, extraConfig, d);
    }

    public String domain() { return domain; }
    public boolean tls() { return tls; }
    public boolean streamManagement() { return smacks; }
    public List<String> admins() { return admins; }
    public int port() { return port; }
    public String extraGlobalConfig() { return extraConfig; }
    /** {@code smacks_hibernation_time} of {@code auth.<domain>}, or null for Prosody's default. */
    public Duration authHibernationTime() { return authHibernation; }

    @Override
    public String toString() {
        return "ProsodyOptions{domain=" + domain + ", tls=" + tls + ", smacks=" + smacks + ", admins=" + admins
                + ", port=" + port + (authHibernation == null ? "" : ", authHibernation=" + authHibernation) + "}";
    }
}
