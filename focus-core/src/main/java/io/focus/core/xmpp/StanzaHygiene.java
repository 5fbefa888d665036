package io.focus.core.xmpp;

import io.focus.core.log.RateLimitedLog;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import java.time.Clock;
import java.time.Duration;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;
import org.jivesoftware.smack.XMPPConnection;
import org.jivesoftware.smack.packet.ErrorIQ;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.packet.StanzaError;
import org.jxmpp.jid.Jid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the focus does with stanzas it cannot use, on every connection it owns: nothing anybody sends may close the
 * connection, and every IQ get/set addressed to the focus gets exactly one well-formed reply.
 *
 * <ul>
 *   <li>An IQ whose payload a provider refused arrives as a {@link RefusedIQ}: counted as {@code unparseable}, and
 *       if it was a request, the sender gets {@code bad-request} with the parser's message.</li>
 *   <li>Any other stanza Smack cannot parse (an extension in a presence or message) is logged (at most one line
 *       per {@link #LOG_INTERVAL}, with how many were not logged since), counted as {@code unparseable}, and
 *       survived — Smack's default callback rethrows and closes the whole connection. An IQ request Smack itself
 *       fails on is rebuilt from its envelope as a {@link RefusedIQ} by the connection and answered as above.</li>
 *   <li>An IQ get/set for which no handler is registered is answered {@code service-unavailable} (RFC 6120 §8.4) and
 *       counted as {@code unknown-iq}. Smack's own auto-reply is built from the request and can echo its payload; ours
 *       carries only the error, so a hostile payload can never make the focus write XML Prosody refuses (which would
 *       close the focus's stream and take it out of every room).</li>
 *   <li>A stanza over the size limit or over its sender's rate ({@code StanzaGate}, {@code focus.xmpp.*}) is not
 *       processed: an IQ request is answered {@code policy-violation} (size) or {@code resource-constraint}, type
 *       wait (rate), with a text that says the limit; anything else is dropped. Counted as {@code too-large} and
 *       {@code rate-limited}.</li>
 * </ul>
 * Whatever is refused is logged at most once per {@link #LOG_INTERVAL}, with how many were not logged since.
 * One instance serves every connection (its counter is registered once, {@code focus_stanzas_rejected_total{reason}},
 * with the bounded reason set of {@link Reason}).
 */
public final class StanzaHygiene {
    private static final Logger log = LoggerFactory.getLogger(StanzaHygiene.class);
    static final Duration LOG_INTERVAL = Duration.ofSeconds(10);
    /** How much of an offending stanza a log line shows. */
    static final int LOG_EXCERPT = 300;
    /** How much text an error reply carries at most. */
    static final int MAX_REPLY_TEXT = 300;
    /** A rate in a reply's text: 20, 0.5. Not thread-safe: used under its own lock. */
    private static final DecimalFormat RATE = new DecimalFormat("0.##", DecimalFormatSymbols.getInstance(Locale.ROOT));

    /** Why a stanza was refused: the label values of the counter. */
    public enum Reason {
        UNPARSEABLE("unparseable"),
        UNKNOWN_IQ("unknown-iq"),
        TOO_LARGE("too-large"),
        RATE_LIMITED("rate-limited");

        final String label;

        Reason(String label) { this.label = label; }
    }

    private final Counter rejected;
    private final RateLimitedLog refusedLog;

    /** @param clock paces the rejection log lines (at most one line per interval) */
    public StanzaHygiene(CollectorRegistry registry, Clock clock) {
        this.refusedLog = new RateLimitedLog(clock, LOG_INTERVAL);
        this.rejected = Counter.build("focus_stanzas_rejected_total",
                        "Stanzas the focus received and could not use (answered with an error if they were IQ requests)")
                .labelNames("reason").register(registry);
        for (Reason r : Reason.values()) {
            rejected.labels(r.label);
        }
    }

    /**
     * A stanza Smack could not parse that is no IQ request (those arrive as {@link RefusedIQ}, see
     * {@link #onRefused}): dropped, counted, logged.
     *
     * @param what what is known of it (the part Smack had not read, or its envelope)
     */
    public void onUnparseable(XMPPConnection connection, Exception cause, CharSequence what) {
        rejected.labels(Reason.UNPARSEABLE.label).inc();
        logRateLimited("dropped a stanza the focus cannot parse (" + cause + ")", what);
    }

    /**
     * An IQ whose payload the focus's parser refused: a request is answered {@code bad-request} with the parser's
     * message; a result or error is passed on by the caller (the request waiting for it sees a reply it cannot use).
     */
    public void onRefused(XMPPConnection connection, RefusedIQ iq) {
        rejected.labels(Reason.UNPARSEABLE.label).inc();
        logRateLimited("refused an IQ the focus cannot parse", "<" + iq.getChildElementName()
                + " xmlns='" + iq.getChildElementNamespace() + "'> " + iq.getType() + " from " + iq.getFrom() + ": "
                + iq.problem());
        if (iq.isRequestIQ()) {
            reply(connection, iq, StanzaError.Condition.bad_request,
                    "the focus could not parse this request: " + iq.problem());
        }
    }

    /** An IQ request nobody handles: answered service-unavailable, counted. */
    public void onUnknownIq(XMPPConnection connection, IQ request) {
        rejected.labels(Reason.UNKNOWN_IQ.label).inc();
        logRateLimited("answered an IQ nobody handles with service-unavailable", describe(request));
        reply(connection, request, StanzaError.Condition.service_unavailable, null);
    }

    /** A stanza over {@code focus.xmpp.max-stanza-bytes}: an IQ request is answered policy-violation; counted. */
    public void onTooLarge(XMPPConnection connection, Stanza stanza, long bytes, long limit) {
        rejected.labels(Reason.TOO_LARGE.label).inc();
        logRateLimited((request(stanza) ? "refused" : "dropped") + " a stanza of " + bytes + " bytes, over the limit of "
                + limit, describe(stanza));
        if (request(stanza)) {
            reply(connection, (IQ) stanza, StanzaError.Condition.policy_violation, "a stanza of " + bytes
                    + " bytes is over the focus's limit of " + limit + " bytes; not processed");
        }
    }

    /**
     * A stanza over its sender's rate ({@code focus.xmpp.max-stanzas-per-second-per-sender}): an IQ request is
     * answered resource-constraint (type wait); counted.
     */
    public void onRateLimited(XMPPConnection connection, Stanza stanza, double perSecond) {
        rejected.labels(Reason.RATE_LIMITED.label).inc();
        String why = "more than " + rate(perSecond) + " requests per second from " + stanza.getFrom();
        logRateLimited((request(stanza) ? "refused" : "dropped") + " a stanza, " + why, describe(stanza));
        if (request(stanza)) {
            reply(connection, (IQ) stanza, StanzaError.Condition.resource_constraint,
                    why + "; not processed, try again later");
        }
    }

    private static String rate(double perSecond) {
        synchronized (RATE) {
            return RATE.format(perSecond);
        }
    }

    private static boolean request(Stanza stanza) {
        return stanza instanceof IQ iq && iq.isRequestIQ();
    }

    /** {@code <element xmlns='ns'> type from sender}, for a log line: never the payload. */
    private static String describe(Stanza stanza) {
        if (stanza instanceof IQ iq) {
            return "<iq type='" + iq.getType() + "'><" + iq.getChildElementName() + " xmlns='"
                    + iq.getChildElementNamespace() + "'> from " + iq.getFrom();
        }
        return "<" + (stanza instanceof Presence ? "presence" : stanza instanceof Message ? "message" : "stanza")
                + "> from " + stanza.getFrom();
    }

    private void reply(XMPPConnection connection, IQ request, StanzaError.Condition condition, String text) {
        StanzaError.Builder error = StanzaError.getBuilder(condition);
        if (text != null) {
            // a parser's message can quote the sender's input at any length: the reply stays small
            error.setDescriptiveEnText(text.length() > MAX_REPLY_TEXT ? text.substring(0, MAX_REPLY_TEXT) + "…" : text);
        }
        ErrorIQ reply = IqErrors.withoutPayload(request, error.build());
        Jid requester = request.getFrom();
        try {
            connection.sendStanza(reply);
        } catch (Exception e) {
            log.debug("could not send the error reply to {}: {}", requester, e.toString());
        }
    }

    private void logRateLimited(String what, Object which) {
        long skipped = refusedLog.tryAcquire();
        if (skipped < 0) {
            return;
        }
        String excerpt = String.valueOf(which);
        if (excerpt.length() > LOG_EXCERPT) {
            excerpt = excerpt.substring(0, LOG_EXCERPT) + "…";
        }
        if (skipped > 0) {
            log.warn("{}: {} ({} more refused stanzas in the last {} s not logged)", what, excerpt, skipped,
                    LOG_INTERVAL.toSeconds());
        } else {
            log.warn("{}: {}", what, excerpt);
        }
    }
}
