package io.focus.core.xmpp.connection;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focus.core.loop.EventLoops;
import io.focus.core.xmpp.StanzaHygiene;
import io.focus.sim.prosody.ProsodyExtension;
import io.prometheus.client.CollectorRegistry;
import java.time.Duration;
import java.util.List;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import java.time.Clock;

/**
 * The focus's connection on a test Prosody and anonymous clients that send it what they like: what the stanza
 * hygiene and stanza limits integration tests and StanzaHygieneTest share.
 */
public final class FocusOnProsody {
    public static final Duration WAIT = Duration.ofSeconds(20);

    private FocusOnProsody() {}

    /**
     * Starts the focus's connection (its rejected stanzas counted in {@code metrics}) and waits for its login; every
     * loss of the connection is added to {@code lost}.
     */
    public static XmppConnectionManager startFocus(ProsodyExtension prosody, CollectorRegistry metrics, StanzaLimits limits,
                                            List<String> lost) {
        XmppSettings settings = XmppSettings.builder(XmppSettings.CLIENT).hostname(prosody.host())
                .port(prosody.port()).domain(prosody.server().authDomain()).username(ProsodyExtension.FOCUS_USER)
                .password(ProsodyExtension.FOCUS_PASSWORD).resource("focus").useTls(false)
                .replyTimeout(Duration.ofSeconds(2)).build();
        XmppConnectionManager focus = new XmppConnectionManager(settings,
                new StanzaHygiene(metrics, Clock.systemUTC()), limits,
                EventLoops.unregistered());
        focus.addListener(new XmppConnectionListener() {
            @Override public void disconnected(XmppConnectionManager m, Exception cause) {
                lost.add(String.valueOf(cause));
            }
        });
        focus.start();
        try {
            assertTrue(focus.awaitFirstLogin(WAIT), "the focus logged in");
        } catch (InterruptedException e) {
            focus.close();
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for the focus's login", e);
        } catch (AssertionError e) {
            focus.close();
            throw e;
        }
        return focus;
    }

    /** An anonymous client, logged in. */
    public static XMPPTCPConnection client(ProsodyExtension prosody) throws Exception {
        XMPPTCPConnection c = new XMPPTCPConnection(prosody.server().anonymousConfig().build());
        c.setReplyTimeout(5000);
        c.connect().login();
        return c;
    }

    /** Sends and returns the reply; an error reply is returned, not thrown. */
    public static IQ send(XMPPTCPConnection c, IQ iq) throws Exception {
        try {
            return c.sendIqRequestAndWaitForResponse(iq);
        } catch (XMPPException.XMPPErrorException e) {
            return (IQ) e.getStanza();
        }
    }

    /** {@code focus_stanzas_rejected_total} for {@code reason}. */
    public static double rejected(CollectorRegistry metrics, String reason) {
        Double v = metrics.getSampleValue("focus_stanzas_rejected_total", new String[] {"reason"},
                new String[] {reason});
        return v == null ? 0 : v;
    }
}
