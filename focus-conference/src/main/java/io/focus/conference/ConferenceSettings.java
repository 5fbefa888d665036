package io.focus.conference;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;

/**
 * Conference settings, read once from {@code jicofo.conference.*}, {@code jicofo.octo.*},
 * {@code jicofo.xmpp.client.*}, {@code jicofo.authentication.*} and {@code focus.conference.*}. Defaults are Jicofo's
 * and live in focus-core's {@code reference.conf} (the one place for them; nothing here repeats a default value).
 *
 * @param minParticipants occupants needed before anyone is placed ({@code jicofo.conference.min-participants}, 2)
 * @param initialTimeout a requested conference nobody joins ends after this ({@code initial-timeout}, 15 s)
 * @param singleParticipantTimeout a lone participant's allocation is released after this (20 s)
 * @param octoEnabled conferences may span several bridges ({@code jicofo.octo.enabled}, false)
 * @param sctp participants get SCTP data channels ({@code jicofo.sctp.enabled}, true)
 * @param conferenceMucDomain rooms must be on this MUC domain ({@code jicofo.xmpp.client.conference-muc-jid},
 *     default {@code conference.<xmpp-domain>}); null accepts any domain (only when no xmpp-domain is configured)
 * @param maxPlacementAttempts failed allocations of one participant before it waits for a bridge event
 *     ({@code focus.conference.max-placement-attempts}, 5)
 * @param retryBackoff delay before the second retry, doubling after that ({@code focus.conference.retry-backoff},
 *     250 ms; the first retry on another bridge is immediate)
 * @param maxRetryBackoff the longest retry delay ({@code focus.conference.max-retry-backoff}, 5 s)
 * @param recentJoinWindow window for a conference's recently added participants per bridge
 *     ({@code jicofo.bridge.max-bridge-participants-interval}, 1 min)
 * @param authentication the secure domain ({@code jicofo.authentication.*}; disabled by default)
 * @param clientProxy the domain of the client-proxy component ({@code jicofo.xmpp.client.client-proxy}, e.g.
 *     {@code focus.meet.example.com}) whose forwarded conference requests carry the original sender in the resource;
 *     null when not configured
 * @param octoSctp relays get SCTP data channels ({@code jicofo.octo.sctp-datachannels}; unset: follows
 *     {@code jicofo.sctp.enabled}, as in Jicofo)
 * @param relayMaxAttempts attempts to bring up one relay between two bridges of a conference before it is left down
 *     (the participants stay where they are) ({@code focus.octo.relay-max-attempts}, 3)
 * @param relayRetryBackoff delay before a relay is tried again, doubling after each failure up to
 *     {@code max-retry-backoff} ({@code focus.octo.relay-retry-backoff}, 1 s)
 * @param pendingPlacementWindow how long a placement this focus made may count against a bridge before the
 *     registry's snapshot shows it ({@code focus.conference.pending-placement-window}, 5 s; see
 *     {@link PlacementLedger})
 */
public record ConferenceSettings(
        int minParticipants,
        Duration initialTimeout,
        Duration singleParticipantTimeout,
        boolean octoEnabled,
        boolean sctp,
        String conferenceMucDomain,
        int maxPlacementAttempts,
        Duration retryBackoff,
        Duration maxRetryBackoff,
        Duration recentJoinWindow,
        AuthenticationSettings authentication,
        String clientProxy,
        Duration pendingPlacementWindow,
        boolean octoSctp,
        int relayMaxAttempts,
        Duration relayRetryBackoff) {

    public ConferenceSettings {
        if (minParticipants < 1) {
            throw new IllegalArgumentException("jicofo.conference.min-participants must be >= 1: " + minParticipants);
        }
        if (maxPlacementAttempts < 1) {
            throw new IllegalArgumentException("focus.conference.max-placement-attempts must be >= 1");
        }
        requirePositive(initialTimeout, "jicofo.conference.initial-timeout");
        requirePositive(singleParticipantTimeout, "jicofo.conference.single-participant-timeout");
        requirePositive(recentJoinWindow, "jicofo.bridge.max-bridge-participants-interval");
        requirePositive(pendingPlacementWindow, "focus.conference.pending-placement-window");
        if (relayMaxAttempts < 1) {
            throw new IllegalArgumentException("focus.octo.relay-max-attempts must be >= 1: " + relayMaxAttempts);
        }
        if (relayRetryBackoff == null || relayRetryBackoff.isNegative()) {
            throw new IllegalArgumentException("focus.octo.relay-retry-backoff must be >= 0: " + relayRetryBackoff);
        }
        if (retryBackoff.isNegative() || maxRetryBackoff.compareTo(retryBackoff) < 0) {
            throw new IllegalArgumentException("focus.conference.retry-backoff must be >= 0 and <= max-retry-backoff");
        }
        conferenceMucDomain = conferenceMucDomain == null ? null : conferenceMucDomain.toLowerCase();
        authentication = authentication == null ? AuthenticationSettings.DISABLED : authentication;
        clientProxy = clientProxy == null || clientProxy.isBlank() ? null : clientProxy.trim().toLowerCase();
    }

    private static void requirePositive(Duration d, String key) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(key + " must be a positive duration: " + d);
        }
    }

    /** Jicofo's defaults, accepting rooms on {@code conferenceMucDomain}. */
    public static ConferenceSettings defaults(String conferenceMucDomain) {
        return fromConfig(ConfigFactory.parseString(conferenceMucDomain == null ? ""
                : "jicofo.xmpp.client.conference-muc-jid = \"" + conferenceMucDomain + "\""));
    }

    /** @throws ConfigException naming the key when a value is bad */
    public static ConferenceSettings fromConfig(Config raw) {
        Config c = raw.withFallback(ConfigFactory.defaultReference(ConferenceSettings.class.getClassLoader()))
                .resolve();
        String muc = c.hasPath("jicofo.xmpp.client.conference-muc-jid")
                ? c.getString("jicofo.xmpp.client.conference-muc-jid")
                : c.hasPath("jicofo.xmpp.client.xmpp-domain")
                        ? "conference." + c.getString("jicofo.xmpp.client.xmpp-domain") : null;
        try {
            return new ConferenceSettings(
                    c.getInt("jicofo.conference.min-participants"),
                    c.getDuration("jicofo.conference.initial-timeout"),
                    c.getDuration("jicofo.conference.single-participant-timeout"),
                    c.getBoolean("jicofo.octo.enabled"),
                    c.getBoolean("jicofo.sctp.enabled"),
                    muc,
                    c.getInt("focus.conference.max-placement-attempts"),
                    c.getDuration("focus.conference.retry-backoff"),
                    c.getDuration("focus.conference.max-retry-backoff"),
                    c.getDuration("jicofo.bridge.max-bridge-participants-interval"),
                    AuthenticationSettings.fromConfig(c),
                    c.hasPath("jicofo.xmpp.client.client-proxy") ? c.getString("jicofo.xmpp.client.client-proxy")
                            : null,
                    c.getDuration("focus.conference.pending-placement-window"),
                    // No default value in reference.conf: unset, it follows jicofo.sctp.enabled (a substitution there
                    // would be resolved before the operator's file is merged, and always be true).
                    c.hasPath("jicofo.octo.sctp-datachannels") ? c.getBoolean("jicofo.octo.sctp-datachannels")
                            : c.getBoolean("jicofo.sctp.enabled"),
                    c.getInt("focus.octo.relay-max-attempts"),
                    c.getDuration("focus.octo.relay-retry-backoff"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException.Generic(e.getMessage());
        }
    }

    public ConferenceSettings withOcto(boolean enabled) {
        return new ConferenceSettings(minParticipants, initialTimeout, singleParticipantTimeout, enabled, sctp,
                conferenceMucDomain, maxPlacementAttempts, retryBackoff, maxRetryBackoff, recentJoinWindow,
                authentication, clientProxy, pendingPlacementWindow, octoSctp, relayMaxAttempts, relayRetryBackoff);
    }

    public ConferenceSettings withMinParticipants(int n) {
        return new ConferenceSettings(n, initialTimeout, singleParticipantTimeout, octoEnabled, sctp,
                conferenceMucDomain, maxPlacementAttempts, retryBackoff, maxRetryBackoff, recentJoinWindow,
                authentication, clientProxy, pendingPlacementWindow, octoSctp, relayMaxAttempts, relayRetryBackoff);
    }

    public ConferenceSettings withAuthentication(AuthenticationSettings auth) {
        return new ConferenceSettings(minParticipants, initialTimeout, singleParticipantTimeout, octoEnabled, sctp,
                conferenceMucDomain, maxPlacementAttempts, retryBackoff, maxRetryBackoff, recentJoinWindow, auth,
                clientProxy, pendingPlacementWindow, octoSctp, relayMaxAttempts, relayRetryBackoff);
    }

    public ConferenceSettings withClientProxy(String domain) {
        return new ConferenceSettings(minParticipants, initialTimeout, singleParticipantTimeout, octoEnabled, sctp,
                conferenceMucDomain, maxPlacementAttempts, retryBackoff, maxRetryBackoff, recentJoinWindow,
                authentication, domain, pendingPlacementWindow, octoSctp, relayMaxAttempts, relayRetryBackoff);
    }

    /** Participants and relays with or without SCTP (what {@code jicofo.sctp.enabled} and
     * {@code jicofo.octo.sctp-datachannels} say). */
    public ConferenceSettings withSctp(boolean participants, boolean relays) {
        return new ConferenceSettings(minParticipants, initialTimeout, singleParticipantTimeout, octoEnabled,
                participants, conferenceMucDomain, maxPlacementAttempts, retryBackoff, maxRetryBackoff,
                recentJoinWindow, authentication, clientProxy, pendingPlacementWindow, relays, relayMaxAttempts,
                relayRetryBackoff);
    }

    /** Delay before the relay between two bridges is tried again after {@code failures} failures (>= 1). */
    public Duration relayBackoff(int failures) {
        long ms = relayRetryBackoff.toMillis() << Math.min(20, Math.max(0, failures - 1));
        return Duration.ofMillis(Math.min(ms, Math.max(maxRetryBackoff.toMillis(), relayRetryBackoff.toMillis())));
    }

    /** Delay before retry number {@code attempt} (1-based count of failures so far). */
    public Duration backoff(int failures) {
        if (failures <= 1) {
            return Duration.ZERO;
        }
        long ms = retryBackoff.toMillis() << Math.min(20, failures - 2);
        return Duration.ofMillis(Math.min(ms, maxRetryBackoff.toMillis()));
    }
}
