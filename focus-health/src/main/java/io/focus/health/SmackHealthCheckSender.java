package io.focus.health;

import io.focus.core.xmpp.HealthCheckIQ;
import io.focus.core.xmpp.ServerBounce;
import io.focus.core.xmpp.connection.XmppConnectionManager;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.packet.StanzaError;
import org.jxmpp.jid.impl.JidCreate;

/**
 * Sends {@link HealthCheckIQ} to the bridge's id (its brewery occupant JID, or its JID for pubsub-discovered bridges)
 * on the service connection with {@code sendIqRequestAsync(iq, timeout)}: nothing blocks, and the request is handed to
 * the connection's writer before {@link #check} returns (Smack sends on the caller's thread), on the stream the
 * Colibri2 requests go out on.
 */
public final class SmackHealthCheckSender implements HealthCheckSender {
    private final XmppConnectionManager xmpp;

    public SmackHealthCheckSender(XmppConnectionManager serviceConnection) {
        this.xmpp = Objects.requireNonNull(serviceConnection, "serviceConnection");
    }

    @Override
    public boolean ready() { return xmpp.isReady(); }

    @Override
    public CompletableFuture<HealthOutcome> check(String bridgeId, Duration timeout) {
        CompletableFuture<HealthOutcome> out = new CompletableFuture<>();
        try {
            HealthCheckIQ iq = new HealthCheckIQ();
            iq.setTo(JidCreate.from(bridgeId));
            xmpp.connection().sendIqRequestAsync(iq, timeout.toMillis())
                    .onSuccess(result -> out.complete(HealthOutcome.passed()))
                    .onError(e -> out.complete(classify(e)));
        } catch (Exception e) {
            out.complete(classify(e));
        }
        return out;
    }

    static HealthOutcome classify(Exception e) {
        if (e instanceof XMPPException.XMPPErrorException) {
            StanzaError error = ((XMPPException.XMPPErrorException) e).getStanzaError();
            StanzaError.Condition c = error.getCondition();
            String detail = c + (error.getDescriptiveText() != null ? ": " + error.getDescriptiveText() : "");
            if (ServerBounce.isBounce(error)) {
                // Not the bridge's answer: Prosody's, because the bridge cannot be reached — an occupant gone from
                // the brewery ("Recipient not in room", real-call d-009), a component bridge whose connection is
                // down ("Component unavailable", remote-server-timeout with <not-connected/>). Evidence, not noise.
                return HealthOutcome.unreachable(detail);
            }
            if (c == StanzaError.Condition.internal_server_error || c == StanzaError.Condition.service_unavailable) {
                return HealthOutcome.failed(detail);
            }
            return HealthOutcome.error(detail);
        }
        if (e instanceof SmackException.NoResponseException) {
            return HealthOutcome.timeout();
        }
        if (e instanceof SmackException.NotConnectedException) {
            return HealthOutcome.notSent("not connected");
        }
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return HealthOutcome.notSent("interrupted");
        }
        return HealthOutcome.localError(e.toString());
    }
}
