package io.focus.conference;

import io.focus.core.loop.EventLoop;

import static org.junit.jupiter.api.Assertions.*;

import io.focus.core.bridge.BridgeEvidence;
import io.focus.core.bridge.RoundTrips;
import io.focus.core.bridge.SuspectSignal;
import io.focus.core.xmpp.connection.IqRequester;
import io.focus.core.xmpp.connection.OwnLink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.junit.jupiter.api.Test;

class ColibriDeadlineWatchTest {
    static final String B = "jvbbrewery@internal.auth.meet.test/jvb1";

    /** Timers run when the test says so. */
    static final class ManualTimer implements EventLoop {
        final List<Runnable> due = new ArrayList<>();
        final List<Duration> delays = new ArrayList<>();
        @Override public void execute(Runnable task) { task.run(); }
        @Override public Cancellable schedule(Runnable task, Duration delay) {
            delays.add(delay);
            Runnable[] slot = {task};
            due.add(() -> { if (slot[0] != null) slot[0].run(); });
            return () -> slot[0] = null;
        }
        void fire() { List<Runnable> now = new ArrayList<>(due); due.clear(); now.forEach(Runnable::run); }
    }

    static final class Link implements OwnLink {
        volatile boolean ready = true;
        final AtomicLong epoch = new AtomicLong();
        @Override public boolean ready() { return ready; }
        @Override public long epoch() { return epoch.get(); }
        @Override public CompletableFuture<java.util.Optional<Duration>> verify(Duration t) {
            return CompletableFuture.completedFuture(
                    ready ? java.util.Optional.of(Duration.ZERO) : java.util.Optional.empty());
        }
    }

    final List<String> seen = new ArrayList<>();
    final BridgeEvidence evidence = new BridgeEvidence() {
        @Override public void suspect(String id, SuspectSignal s, String reason) { seen.add("suspect " + s + " " + reason); }
        @Override public void answered(String id, String what) { seen.add("answered " + what); }
    };
    final ManualTimer timer = new ManualTimer();
    final Link link = new Link();
    final RoundTrips roundTrips = new RoundTrips();
    final ColibriDeadlineWatch watch = new ColibriDeadlineWatch(evidence, link, Duration.ofSeconds(3), timer,
            roundTrips);

    /** As the requester does: the watch is told just before and right after the request is written. */
    void send(String bridgeId, String what, CompletableFuture<IQ> reply) {
        IqRequester.Writes w = watch.watch(bridgeId, what);
        w.writing();
        w.written(reply);
    }

    @Test
    void unansweredPastTheDeadlineMakesTheBridgeSuspect() {
        CompletableFuture<IQ> reply = new CompletableFuture<>();
        send(B, "allocate a", reply);
        assertEquals(List.of(Duration.ofSeconds(3)), timer.delays);
        timer.fire();
        assertEquals(List.of("suspect COLIBRI_DEADLINE Colibri2 allocate a unanswered after 3000 ms"), seen);
    }

    @Test
    void aReplyOrAnErrorReplyIsAnAnswerATimeoutIsNot() {
        CompletableFuture<IQ> ok = new CompletableFuture<>();
        send(B, "allocate a", ok);
        ok.complete(null);
        CompletableFuture<IQ> err = new CompletableFuture<>();
        send(B, "allocate b", err);
        err.completeExceptionally(bridgeError(StanzaError.Condition.item_not_found, "conference_not_found"));
        CompletableFuture<IQ> none = new CompletableFuture<>();
        send(B, "allocate c", none);
        none.completeExceptionally(SmackException.NoResponseException.newWith(5000,
                (org.jivesoftware.smack.filter.StanzaFilter) s -> false, false));
        timer.fire();
        assertEquals(List.of("answered Colibri2 reply to allocate a", "answered Colibri2 error reply to allocate b"), seen,
                "answered requests cancel their deadline; a reply timeout answers nothing");
    }

    /**
     * The health doctor's evidence that the focus's link carries requests: a reply or the bridge's own error reply to a
     * request written after a probe of another bridge overtakes that probe; a timeout or a server's bounce does not.
     */
    @Test
    void answersGoInTheFocussSendOrderTimeoutsAndBouncesDoNot() {
        String other = "jvbbrewery@internal.auth.meet.test/jvb2";
        long probe = roundTrips.sent(); // a probe of the other bridge went out first
        CompletableFuture<IQ> none = new CompletableFuture<>();
        send(B, "allocate a", none);
        none.completeExceptionally(SmackException.NoResponseException.newWith(5000,
                (org.jivesoftware.smack.filter.StanzaFilter) s -> false, false));
        CompletableFuture<IQ> bounced = new CompletableFuture<>();
        send(B, "allocate b", bounced);
        bounced.completeExceptionally(serverError(StanzaError.Condition.item_not_found, "Recipient not in room"));
        assertEquals(java.util.Optional.empty(), roundTrips.overtaken(other, probe), "nothing the bridge wrote");
        CompletableFuture<IQ> err = new CompletableFuture<>();
        send(B, "allocate c", err);
        err.completeExceptionally(bridgeError(StanzaError.Condition.item_not_found, "conference_not_found"));
        assertEquals(java.util.Optional.of(B), roundTrips.overtaken(other, probe), "the bridge's own error reply");
        long later = roundTrips.sent(); // another probe, after every request above
        CompletableFuture<IQ> ok = new CompletableFuture<>();
        IqRequester.Writes w = watch.watch(B, "allocate d");
        w.writing();
        long meanwhile = roundTrips.sent(); // a probe written while this request was being written
        w.written(ok);
        ok.complete(null);
        assertEquals(java.util.Optional.of(B), roundTrips.overtaken(other, later), "a reply");
        assertEquals(java.util.Optional.empty(), roundTrips.overtaken(other, meanwhile),
                "numbered from just before its write: not after a probe written meanwhile");
    }

    /** An error the bridge wrote: with its colibri2 reason, as a real JVB's item-not-found always has. */
    static XMPPException.XMPPErrorException bridgeError(StanzaError.Condition c, String reason) {
        return new XMPPException.XMPPErrorException(null, StanzaError.getBuilder(c)
                .setExtensions(List.of(org.jivesoftware.smack.packet.StandardExtensionElement
                        .builder("error", "jitsi:colibri2").addAttribute("reason", reason).build())).build());
    }

    static XMPPException.XMPPErrorException serverError(StanzaError.Condition c, String text) {
        return new XMPPException.XMPPErrorException(null,
                StanzaError.getBuilder(c).setDescriptiveEnText(text).build());
    }

    /**
     * Prosody answering for a bridge it cannot reach (the brewery for an occupant gone, stream management for a killed
     * bridge's queued stanzas) is not the bridge answering: evidence against it, at once.
     */
    @Test
    void aServerBounceIsEvidenceAgainstTheBridgeNotAnAnswer() {
        CompletableFuture<IQ> muc = new CompletableFuture<>();
        send(B, "expire conference", muc);
        muc.completeExceptionally(serverError(StanzaError.Condition.item_not_found, "Recipient not in room"));
        CompletableFuture<IQ> smacks = new CompletableFuture<>();
        send(B, "allocate a", smacks);
        smacks.completeExceptionally(serverError(StanzaError.Condition.recipient_unavailable, null));
        timer.fire();
        assertEquals(List.of(
                "suspect COLIBRI_DEADLINE Colibri2 expire conference bounced by the server: item-not-found (the "
                        + "server cannot reach the bridge)",
                "suspect COLIBRI_DEADLINE Colibri2 allocate a bounced by the server: recipient-unavailable (the "
                        + "server cannot reach the bridge)"), seen);
    }

    @Test
    void aBounceAcrossALossOfTheOwnLinkSaysNothing() {
        CompletableFuture<IQ> r = new CompletableFuture<>();
        send(B, "expire conference", r);
        link.epoch.incrementAndGet();
        r.completeExceptionally(serverError(StanzaError.Condition.recipient_unavailable, null));
        assertEquals(List.of(), seen);
    }

    @Test
    void lostSinceTellsWhetherTheOwnLinkWentAwayMeanwhile() {
        long epoch = watch.epoch();
        assertFalse(watch.lostSince(epoch));
        link.epoch.incrementAndGet();
        assertTrue(watch.lostSince(epoch), "lost and back");
        long now = watch.epoch();
        link.ready = false;
        assertTrue(watch.lostSince(now), "down now");
    }

    @Test
    void theOwnLinkDownOrLostMeanwhileDoesNotCount() {
        CompletableFuture<IQ> r1 = new CompletableFuture<>();
        send(B, "allocate a", r1);
        link.epoch.incrementAndGet();
        CompletableFuture<IQ> r2 = new CompletableFuture<>();
        send(B, "allocate b", r2);
        link.ready = false;
        timer.fire();
        assertEquals(List.of(), seen);
    }
}
