package io.focus.conference.signalling;

import io.focus.core.xmpp.connection.IqRequester;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.Objects;
import org.jivesoftware.smack.XMPPConnection;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smackx.disco.packet.DiscoverInfo;
import org.jxmpp.jid.impl.JidCreate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A disco#info query to the participant's occupant JID (the MUC routes it to the client), about the caps
 * {@code node#ver} of its presence when it has one (as Jicofo asks, a-019), with a short timeout,
 * never blocking: through the connection's {@link IqRequester}.
 */
public final class XmppFeatureDiscovery implements FeatureDiscovery {
    private static final Logger log = LoggerFactory.getLogger(XmppFeatureDiscovery.class);

    private final IqRequester requests;
    private final Duration timeout;

    /** @param requests the client connection's requests */
    public XmppFeatureDiscovery(IqRequester requests, Duration timeout) {
        this.requests = Objects.requireNonNull(requests, "requests");
        this.timeout = timeout;
    }

    @Override public CompletableFuture<Set<String>> features(String occupantJid, String capsNode) {
        CompletableFuture<Set<String>> f = new CompletableFuture<>();
        try {
            XMPPConnection c = requests.connection();
            if (!c.isAuthenticated()) {
                f.complete(Set.of());
                return f;
            }
            DiscoverInfo q = DiscoverInfo.builder(c).to(JidCreate.from(occupantJid)).ofType(IQ.Type.get)
                    .setNode(capsNode).build();
            requests.request(q, timeout).whenComplete((reply, e) -> {
                if (e != null) {
                    log.debug("disco#info of {} failed ({}); assuming default features", occupantJid, e.toString());
                    f.complete(Set.of());
                    return;
                }
                Set<String> out = new LinkedHashSet<>();
                if (reply instanceof DiscoverInfo info) {
                    info.getFeatures().forEach(x -> out.add(x.getVar()));
                }
                f.complete(Set.copyOf(out));
            });
        } catch (Exception e) {
            log.debug("disco#info of {} not sent ({}); assuming default features", occupantJid, e.toString());
            f.complete(Set.of());
        }
        return f;
    }
}
