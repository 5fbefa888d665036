package io.focus.conference.signalling;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Locale;

/**
 * How the focus signals participants, read once from Jicofo's keys under {@code jicofo.conference} and ours under
 * {@code focus.jingle}. Defaults live in focus-core's {@code reference.conf} (nothing here repeats them); a bad value stops start-up with a
 * {@link ConfigException} naming the key.
 *
 * @param reinviteMethod {@code jicofo.conference.reinvite-method}: how a moved participant is re-signalled
 *     ({@code RestartJingle}, the default: source-remove to the others, session-terminate "moving", a fresh
 *     session-initiate; or {@code ReplaceTransport}: a transport-replace on the existing session)
 * @param offerTimeout {@code focus.jingle.offer-timeout} (15 s): how long an offer may stay unanswered
 * @param maxReinvites {@code focus.jingle.max-reinvites} (2): re-offers to a participant that does not answer, after
 *     which it is taken off its bridge
 * @param restartMinInterval {@code jicofo.conference.restart-request-rate-limits.min-interval} (5 s)
 * @param restartMaxRequests {@code jicofo.conference.restart-request-rate-limits.max-requests} (5)
 * @param restartInterval {@code jicofo.conference.restart-request-rate-limits.interval} (1 min)
 * @param discoTimeout {@code focus.jingle.disco-timeout} (2 s): the wait for a participant's disco#info before its
 *     first offer (without an answer it gets XML sources)
 * @param useJsonEncodedSources {@code jicofo.conference.use-json-encoded-sources} (true)
 * @param stripSimulcast {@code jicofo.conference.strip-simulcast} (true): receivers are told only the first
 *     simulcast layer of each sender
 * @param sourceUpdateInterval {@code focus.jingle.source-update-interval} (0): the shortest time between two source
 *     updates (source-remove/source-add) to one participant. Updates are paced per participant in any case: one is
 *     in flight at a time and the changes made while it is unanswered go out together once it is answered; this
 *     adds a minimum gap on top (0: none). It used to be a 500 ms gap between rounds per conference, which
 *     delayed every view after a move or a join by up to half a second.
 */
public record SignallingSettings(ReinviteMethod reinviteMethod, Duration offerTimeout, int maxReinvites,
                                 Duration restartMinInterval, int restartMaxRequests, Duration restartInterval,
                                 Duration discoTimeout, boolean useJsonEncodedSources, boolean stripSimulcast,
                                 Duration sourceUpdateInterval) {

    /** Jicofo's {@code reinvite-method} values. */
    public enum ReinviteMethod {
        RESTART_JINGLE("RestartJingle"), REPLACE_TRANSPORT("ReplaceTransport");

        private final String configName;

        ReinviteMethod(String configName) { this.configName = configName; }

        public String configName() { return configName; }

        static ReinviteMethod parse(String s) {
            for (ReinviteMethod m : values()) {
                if (m.configName.toLowerCase(Locale.ROOT).equals(s.trim().toLowerCase(Locale.ROOT))) {
                    return m;
                }
            }
            throw new IllegalArgumentException("jicofo.conference.reinvite-method must be RestartJingle or "
                    + "ReplaceTransport, got " + s);
        }
    }

    public SignallingSettings {
        requirePositive(offerTimeout, "focus.jingle.offer-timeout");
        requirePositive(restartInterval, "jicofo.conference.restart-request-rate-limits.interval");
        requirePositive(discoTimeout, "focus.jingle.disco-timeout");
        if (restartMinInterval == null || restartMinInterval.isNegative()) {
            throw new IllegalArgumentException("jicofo.conference.restart-request-rate-limits.min-interval must be "
                    + ">= 0: " + restartMinInterval);
        }
        if (maxReinvites < 0) {
            throw new IllegalArgumentException("focus.jingle.max-reinvites must be >= 0: " + maxReinvites);
        }
        if (restartMaxRequests < 0) {
            throw new IllegalArgumentException("jicofo.conference.restart-request-rate-limits.max-requests must be "
                    + ">= 0: " + restartMaxRequests);
        }
        if (reinviteMethod == null) {
            reinviteMethod = ReinviteMethod.RESTART_JINGLE;
        }
        if (sourceUpdateInterval == null || sourceUpdateInterval.isNegative()) {
            throw new IllegalArgumentException("focus.jingle.source-update-interval must be >= 0: "
                    + sourceUpdateInterval);
        }
    }

    private static void requirePositive(Duration d, String key) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(key + " must be a positive duration: " + d);
        }
    }

    public static SignallingSettings defaults() {
        return fromConfig(ConfigFactory.empty());
    }

    /** @throws ConfigException naming the key when a value is bad */
    public static SignallingSettings fromConfig(Config raw) {
        Config c = raw.withFallback(ConfigFactory.defaultReference(SignallingSettings.class.getClassLoader()))
                .resolve();
        String limits = "jicofo.conference.restart-request-rate-limits.";
        try {
            return new SignallingSettings(
                    ReinviteMethod.parse(c.getString("jicofo.conference.reinvite-method")),
                    c.getDuration("focus.jingle.offer-timeout"),
                    c.getInt("focus.jingle.max-reinvites"),
                    c.getDuration(limits + "min-interval"),
                    c.getInt(limits + "max-requests"),
                    c.getDuration(limits + "interval"),
                    c.getDuration("focus.jingle.disco-timeout"),
                    c.getBoolean("jicofo.conference.use-json-encoded-sources"),
                    c.getBoolean("jicofo.conference.strip-simulcast"),
                    c.getDuration("focus.jingle.source-update-interval"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException.Generic(e.getMessage());
        }
    }

    public SignallingSettings withReinviteMethod(ReinviteMethod m) {
        return new SignallingSettings(m, offerTimeout, maxReinvites, restartMinInterval, restartMaxRequests,
                restartInterval, discoTimeout, useJsonEncodedSources, stripSimulcast, sourceUpdateInterval);
    }

    public SignallingSettings withOfferTimeout(Duration d, int reinvites) {
        return new SignallingSettings(reinviteMethod, d, reinvites, restartMinInterval, restartMaxRequests,
                restartInterval, discoTimeout, useJsonEncodedSources, stripSimulcast, sourceUpdateInterval);
    }

    public SignallingSettings withSourceUpdateInterval(Duration d) {
        return new SignallingSettings(reinviteMethod, offerTimeout, maxReinvites, restartMinInterval, restartMaxRequests,
                restartInterval, discoTimeout, useJsonEncodedSources, stripSimulcast, d);
    }
}
