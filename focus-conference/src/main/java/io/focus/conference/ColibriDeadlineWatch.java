package io.focus.conference;

import io.focus.core.loop.EventLoop;

import io.focus.core.bridge.BridgeEvidence;
import io.focus.core.bridge.RoundTrips;
import io.focus.core.bridge.SuspectSignal;
import io.focus.core.xmpp.ServerBounce;
import io.focus.core.xmpp.connection.IqRequester;
import io.focus.core.xmpp.connection.OwnLink;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.packet.IQ;

/**
 * Watches Colibri2 requests for their bridge's silence: a request still unanswered {@code colibri-deadline} after it
 * went out makes its bridge suspect ({@link SuspectSignal#COLIBRI_DEADLINE}; the request itself keeps waiting for its
 * own reply timeout), and any reply (a result or the bridge's own error: it is alive) tells the evidence it answered.
 * An error the server wrote because it cannot reach the bridge ({@link ServerBounce}: the brewery's "Recipient not in
 * room", stream management's {@code recipient-unavailable} once a killed bridge's hibernation ended, a component's
 * {@code not-connected}) is not the bridge answering: it makes the bridge suspect at once, as a silence past the
 * deadline would (only while the focus's own link is up and has not been lost since the request went out).
 * The deadline does not count against the bridge when the focus's own link is down at the deadline or was lost since
 * the request went out. Every request and every answer (not a bounce, not a timeout) is also placed in the focus's
 * send order ({@link RoundTrips}, shared with the health doctor): a bridge's reply to a request written after another
 * bridge's probe tells the doctor the focus's link and server were carrying requests while that bridge was silent.
 */
public final class ColibriDeadlineWatch {
    private final BridgeEvidence evidence;
    private final OwnLink link;
    private final Duration deadline;
    private final EventLoop timer;
    private final RoundTrips roundTrips;

    /**
     * @param evidence where suspicion and answers go (the registry)
     * @param link the connection the requests go out on
     * @param deadline {@code focus.bridge.suspect.colibri-deadline}
     * @param timer runs the deadlines (not the conference loop: any timer thread)
     * @param roundTrips the focus's send order, shared with the health doctor: every request and its answer go in it
     */
    public ColibriDeadlineWatch(BridgeEvidence evidence, OwnLink link, Duration deadline, EventLoop timer,
                                RoundTrips roundTrips) {
        this.evidence = Objects.requireNonNull(evidence, "evidence");
        this.link = Objects.requireNonNull(link, "link");
        this.deadline = Objects.requireNonNull(deadline, "deadline");
        this.timer = Objects.requireNonNull(timer, "timer");
        this.roundTrips = Objects.requireNonNull(roundTrips, "roundTrips");
    }

    public Duration deadline() { return deadline; }

    /** The own link's epoch now: pass it to {@link #lostSince} when the request's outcome is known. */
    public long epoch() { return link.epoch(); }

    /**
     * The focus's own link is down now or was lost since {@code epoch}: a request that went unanswered meanwhile says
     * nothing about its bridge.
     */
    public boolean lostSince(long epoch) { return !link.ready() || link.epoch() != epoch; }

    /**
     * Watches one request to the bridge: give it to {@link IqRequester#request(IQ, Duration, IqRequester.Writes)},
     * which tells it when the request is written (its deadline counts from there).
     */
    public IqRequester.Writes watch(String bridgeId, String what) {
        Objects.requireNonNull(bridgeId, "bridgeId");
        return new IqRequester.Writes() {
            private long seq;

            @Override public void writing() { seq = roundTrips.sending(); }

            @Override public void written(CompletableFuture<IQ> reply) {
                sent(bridgeId, what, seq, reply);
            }
        };
    }

    /**
     * The request went out just now (on the sending thread); {@code seq} is its {@link RoundTrips#sending()} number,
     * taken just before it was written; {@code reply} completes with its outcome.
     */
    void sent(String bridgeId, String what, long seq, CompletableFuture<?> reply) {
        long epoch = link.epoch();
        EventLoop.Cancellable t = timer.schedule(() -> {
            if (!reply.isDone() && link.ready() && link.epoch() == epoch) {
                evidence.suspect(bridgeId, SuspectSignal.COLIBRI_DEADLINE,
                        "Colibri2 " + what + " unanswered after " + deadline.toMillis() + " ms");
            }
        }, deadline);
        reply.whenComplete((r, e) -> {
            t.cancel();
            if (e == null) {
                roundTrips.answered(bridgeId, seq);
                evidence.answered(bridgeId, "Colibri2 reply to " + what);
            } else if (ServerBounce.isBounce(unwrap(e))) {
                XMPPException.XMPPErrorException xe = (XMPPException.XMPPErrorException) unwrap(e);
                if (link.ready() && link.epoch() == epoch) {
                    evidence.suspect(bridgeId, SuspectSignal.COLIBRI_DEADLINE, "Colibri2 " + what
                            + " bounced by the server: " + xe.getStanzaError().getCondition()
                            + " (the server cannot reach the bridge)");
                }
            } else if (unwrap(e) instanceof XMPPException.XMPPErrorException) {
                roundTrips.answered(bridgeId, seq);
                evidence.answered(bridgeId, "Colibri2 error reply to " + what);
            }
        });
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
    }
}
