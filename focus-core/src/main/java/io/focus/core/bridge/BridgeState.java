package io.focus.core.bridge;

import java.time.Instant;
import java.util.Objects;

/**
 * Immutable view of one bridge at the moment a {@link BridgeSnapshot} was published. The registry owns the mutable
 * state; everything else (selection, REST, metrics) reads these.
 *
 * <p>{@code id} is how the focus addresses the bridge: its brewery occupant JID
 * ({@code jvbbrewery@internal.auth.example.com/jvb1}) or, for legacy pubsub discovery, the publisher's JID.
 * {@code nick} is the short name operators see in logs and metric labels ({@code jvb1}).
 */
public final class BridgeState {
    /** Operational state as the health doctor and allocation errors judge it. */
    public enum Health { OPERATIONAL, FAILED }

    private final String id;
    private final String nick;
    private final String region;
    private final String relayId;
    private final String version;
    private final double reportedStress;
    private final double averageParticipantStress;
    private final int recentlyAddedEndpoints;
    private final double correctedStress;
    private final boolean draining;
    private final boolean gracefulShutdown;
    private final boolean shuttingDown;
    private final boolean healthy;
    private final Health health;
    private final Instant lastFailure;
    private final String lastFailureReason;
    private final int endpoints;
    private final int conferences;
    private final boolean drainedByFocus;
    private final Instant lastStatsAt;
    private final boolean suspect;
    private final SuspectSignal suspectSignal;
    private final String suspectReason;
    private final Instant suspectSince;
    private final boolean failingIce;

    private BridgeState(Builder b) {
        this.id = Objects.requireNonNull(b.id, "id");
        this.nick = b.nick != null ? b.nick : nickOf(b.id);
        this.region = b.region;
        this.relayId = b.relayId;
        this.version = b.version;
        this.reportedStress = b.reportedStress;
        this.averageParticipantStress = b.averageParticipantStress;
        this.recentlyAddedEndpoints = b.recentlyAddedEndpoints;
        this.correctedStress = b.reportedStress + Math.max(0, b.recentlyAddedEndpoints) * b.averageParticipantStress;
        this.draining = b.draining;
        this.gracefulShutdown = b.gracefulShutdown;
        this.shuttingDown = b.shuttingDown;
        this.healthy = b.healthy;
        this.health = b.health;
        this.lastFailure = b.lastFailure;
        this.lastFailureReason = b.lastFailureReason;
        this.endpoints = b.endpoints;
        this.conferences = b.conferences;
        this.drainedByFocus = b.drainedByFocus;
        this.lastStatsAt = b.lastStatsAt;
        this.suspect = b.suspect;
        this.suspectSignal = b.suspectSignal;
        this.suspectReason = b.suspectReason;
        this.suspectSince = b.suspectSince;
        this.failingIce = b.failingIce;
    }

    /** The resource part of a JID ({@code .../jvb1} gives {@code jvb1}), or the whole id when it has none. */
    public static String nickOf(String id) {
        int slash = id.indexOf('/');
        return slash >= 0 ? id.substring(slash + 1) : id;
    }

    public static Builder builder(String id) { return new Builder(id); }

    public Builder toBuilder() {
        Builder b = new Builder(id);
        b.nick = nick; b.region = region; b.relayId = relayId; b.version = version;
        b.reportedStress = reportedStress; b.averageParticipantStress = averageParticipantStress;
        b.recentlyAddedEndpoints = recentlyAddedEndpoints; b.draining = draining;
        b.gracefulShutdown = gracefulShutdown; b.shuttingDown = shuttingDown; b.healthy = healthy;
        b.health = health; b.lastFailure = lastFailure; b.lastFailureReason = lastFailureReason;
        b.endpoints = endpoints; b.conferences = conferences; b.drainedByFocus = drainedByFocus;
        b.lastStatsAt = lastStatsAt;
        b.suspect = suspect; b.suspectSignal = suspectSignal; b.suspectReason = suspectReason; b.suspectSince = suspectSince;
        b.failingIce = failingIce;
        return b;
    }

    public String id() { return id; }
    public String nick() { return nick; }
    /** Region the bridge reports, or null. */
    public String region() { return region; }
    /** Octo relay id, or null: a bridge without one cannot join a multi-bridge conference. */
    public String relayId() { return relayId; }
    /** {@code version-release} when both are known, else the version, else null. */
    public String version() { return version; }
    public double reportedStress() { return reportedStress; }
    public double averageParticipantStress() { return averageParticipantStress; }
    /** Endpoints this focus placed on the bridge inside the ramp-up window. */
    public int recentlyAddedEndpoints() { return recentlyAddedEndpoints; }
    /** Reported stress + recently added endpoints × average participant stress (may exceed 1). */
    public double correctedStress() { return correctedStress; }
    /** The bridge reports {@code drain=true}, or an operator drained it through the focus. */
    public boolean draining() { return draining || drainedByFocus; }
    /** An operator drained the bridge through the focus's admin API (not the bridge's own stat). */
    public boolean drainedByFocus() { return drainedByFocus; }
    public boolean gracefulShutdown() { return gracefulShutdown; }
    public boolean shuttingDown() { return shuttingDown; }
    /** The {@code healthy} stat (only used by presence-mode health checks). */
    public boolean healthy() { return healthy; }
    public Health health() { return health; }
    public boolean operational() { return health == Health.OPERATIONAL; }
    public Instant lastFailure() { return lastFailure; }
    public String lastFailureReason() { return lastFailureReason; }
    /** Endpoints placed on this bridge by this focus. */
    public int endpoints() { return endpoints; }
    /** Conferences this focus has on this bridge. */
    public int conferences() { return conferences; }
    /** When the bridge's last stats arrived (presence or pubsub item), or null; presence-mode health uses it. */
    public Instant lastStatsAt() { return lastStatsAt; }
    /**
     * Something the focus sent it went unanswered (or its stats are overdue, or several of its participants lost
     * ICE) and it has not answered anything since: it gets no new participants while another bridge can take them.
     */
    public boolean suspect() { return suspect; }
    /** What made it suspect, or null. */
    public SuspectSignal suspectSignal() { return suspectSignal; }
    /** Why it is suspect, or null. */
    public String suspectReason() { return suspectReason; }
    /** Since when it is suspect, or null. */
    public Instant suspectSince() { return suspectSince; }
    /**
     * Too many of its participants failed ICE lately (Jicofo's ICE-failure detection,
     * {@code jicofo.bridge.ice-failure-detection}): it gets no new participants while another bridge can take them.
     */
    public boolean failingIce() { return failingIce; }

    @Override public String toString() {
        return "Bridge[" + nick + " region=" + region + " stress=" + String.format("%.3f", correctedStress)
                + " " + health + (suspect ? " suspect" : "") + (failingIce ? " failing-ice" : "") + (draining() ? " draining" : "") + (gracefulShutdown ? " graceful" : "")
                + (shuttingDown ? " shutting-down" : "") + " endpoints=" + endpoints + "]";
    }

    public static final class Builder {
        private final String id;
        private String nick;
        private String region;
        private String relayId;
        private String version;
        private double reportedStress;
        private double averageParticipantStress = 0.01;
        private int recentlyAddedEndpoints;
        private boolean draining;
        private boolean gracefulShutdown;
        private boolean shuttingDown;
        private boolean healthy = true;
        private Health health = Health.OPERATIONAL;
        private Instant lastFailure;
        private String lastFailureReason;
        private int endpoints;
        private int conferences;
        private boolean drainedByFocus;
        private Instant lastStatsAt;
        private boolean suspect;
        private SuspectSignal suspectSignal;
        private String suspectReason;
        private Instant suspectSince;
        private boolean failingIce;

        private Builder(String id) { this.id = id; }

        public Builder nick(String v) { nick = v; return this; }
        public Builder region(String v) { region = v; return this; }
        public Builder relayId(String v) { relayId = v; return this; }
        public Builder version(String v) { version = v; return this; }
        public Builder reportedStress(double v) { reportedStress = v; return this; }
        public Builder averageParticipantStress(double v) { averageParticipantStress = v; return this; }
        public Builder recentlyAddedEndpoints(int v) { recentlyAddedEndpoints = v; return this; }
        public Builder draining(boolean v) { draining = v; return this; }
        public Builder drainedByFocus(boolean v) { drainedByFocus = v; return this; }
        public Builder gracefulShutdown(boolean v) { gracefulShutdown = v; return this; }
        public Builder shuttingDown(boolean v) { shuttingDown = v; return this; }
        public Builder healthy(boolean v) { healthy = v; return this; }
        public Builder health(Health v) { health = v; return this; }
        public Builder lastFailure(Instant at, String reason) { lastFailure = at; lastFailureReason = reason; return this; }
        public Builder endpoints(int v) { endpoints = v; return this; }
        public Builder conferences(int v) { conferences = v; return this; }
        public Builder lastStatsAt(Instant v) { lastStatsAt = v; return this; }
        /** Suspect since {@code at} because of {@code signal} ({@code reason} says more); a null signal clears it. */
        public Builder suspect(SuspectSignal signal, String reason, Instant at) {
            suspect = signal != null; suspectSignal = signal; suspectReason = signal != null ? reason : null;
            suspectSince = signal != null ? at : null;
            return this;
        }
        public Builder failingIce(boolean v) { failingIce = v; return this; }
        public BridgeState build() { return new BridgeState(this); }
    }
}
