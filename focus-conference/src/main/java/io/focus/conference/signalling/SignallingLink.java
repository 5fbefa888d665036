package io.focus.conference.signalling;

import io.focus.conference.ConferenceControl;
import io.focus.core.jingle.JingleAction;
import io.focus.core.jingle.JingleIQ;
import io.focus.core.jingle.JingleOffers;
import io.focus.core.jingle.JingleRequestException;
import io.focus.core.log.RateLimitedLog;
import org.slf4j.event.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.jivesoftware.smack.packet.IQ;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the pieces of the signalling share: the way out to participants (send, answer, refuse, each counted), the
 * conference control the signaller is attached to, its settings and clock.
 */
final class SignallingLink {
    private static final Logger log = LoggerFactory.getLogger(JingleSignaller.class);
    static final Duration REFUSED_LOG_INTERVAL = Duration.ofSeconds(10);

    final JingleOffers offers;
    final SignallingSettings settings;
    final JingleSender sender;
    final Clock clock;
    final SignallingMetrics metrics;
    private volatile ConferenceControl control;
    /** Refusals are caused by clients, any number of them: at most one INFO line per interval, the rest at DEBUG. */
    private final RateLimitedLog refusedLog;

    SignallingLink(JingleOffers offers, SignallingSettings settings, JingleSender sender, Clock clock,
                   SignallingMetrics metrics) {
        this.offers = offers;
        this.settings = settings;
        this.sender = sender;
        this.clock = clock;
        this.metrics = metrics;
        this.refusedLog = new RateLimitedLog(clock, REFUSED_LOG_INTERVAL);
    }

    void attach(ConferenceControl c) {
        this.control = c;
    }

    /** The control the signaller is attached to; null before {@link JingleSignaller#attach}. */
    ConferenceControl control() {
        return control;
    }

    /** Sends the IQ; the stage completes with the answer, exceptionally when there was none or an error. */
    CompletableFuture<IQ> send(SignalledConference c, SignalledPeer p, JingleIQ iq) {
        String action = actionLabel(iq);
        metrics.sent.labels(action).inc();
        metrics.sent(iq.action());
        CompletableFuture<IQ> f;
        try {
            f = sender.send(iq);
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        return f.whenComplete((reply, e) -> {
            if (e != null) {
                metrics.sendFailures.labels(action).inc();
                log.info("{} {} (sid {}) not acknowledged: {}", tag(c, p), iq.actionName(), iq.sid(), e.toString());
            }
        });
    }
    void ok(JingleIQ iq) {
        metrics.requests.labels(actionLabel(iq), "result").inc();
        sender.reply(IQ.createResultIQ(iq));
    }

    void refuse(JingleIQ iq, JingleRequestException e) {
        metrics.requests.labels(actionLabel(iq), e.condition().toString()).inc();
        refusedLog.log(log, Level.INFO, "Jingle {} from {} refused: {} ({})", iq.actionName(), iq.getFrom(),
                e.condition(), e.getMessage());
        sender.reply(IQ.createErrorResponse(iq, e.toStanzaError()));
    }

    static String actionLabel(JingleIQ iq) {
        JingleAction a = iq.action();
        return a == JingleAction.UNKNOWN ? "unknown" : a.wireName();
    }

    static String tag(SignalledConference c, SignalledPeer p) {
        return "[room=" + c.room + " participant=" + p.id + "]";
    }
}
