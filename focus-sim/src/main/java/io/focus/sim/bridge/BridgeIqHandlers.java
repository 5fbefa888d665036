package io.focus.sim.bridge;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jivesoftware.smack.iqrequest.AbstractIqRequestHandler;
import org.jivesoftware.smack.iqrequest.IQRequestHandler;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jxmpp.jid.Jid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.focus.sim.xml.Stanzas;

/**
 * The IQs a simulated bridge answers, as a real JVB does: health checks and Colibri2 {@code conference-modify}, only
 * from the brewery (anyone else gets {@code forbidden}), nothing at all while hung. Handlers are registered by
 * element and namespace and the IQ is read as text, so the bridge works next to the focus in one JVM whatever
 * providers the focus registers. Every IQ is handled on the bridge's control thread, in arrival order.
 */
final class BridgeIqHandlers {
    private static final Logger log = LoggerFactory.getLogger(SimBridge.class);

    private final ControlThread control;
    private final SimBridgeOptions o;
    private final String brewery;
    private final BooleanSupplier hung;
    private final Function<IQ, IQ> healthCheck;
    private final BiFunction<IQ, String, IQ> colibri;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger healthChecks = new AtomicInteger();

    /**
     * @param healthCheck the answer to a health check (null: none)
     * @param colibri the answer to a conference-modify, given as its child element's text (null: none)
     */
    BridgeIqHandlers(ControlThread control, SimBridgeOptions o, String brewery, BooleanSupplier hung,
                     Function<IQ, IQ> healthCheck, BiFunction<IQ, String, IQ> colibri) {
        this.control = control;
        this.o = o;
        this.brewery = brewery;
        this.hung = hung;
        this.healthCheck = healthCheck;
        this.colibri = colibri;
    }

    /** Every {@code conference-modify} received (as XML text), in arrival order. */
    List<String> requests() { return List.copyOf(requests); }

    /** How many health-check IQs arrived (answered or not). */
    int healthChecks() { return healthChecks.get(); }

    void register(XMPPTCPConnection c) {
        for (IQ.Type t : List.of(IQ.Type.get, IQ.Type.set)) {
            c.registerIQRequestHandler(new AbstractIqRequestHandler("conference-modify", ColibriModel.NS, t,
                    IQRequestHandler.Mode.sync) {
                @Override
                public IQ handleIQRequest(IQ iq) {
                    String xml = Stanzas.childXml(iq);
                    control.execute(() -> {
                        requests.add(xml);
                        answer(c, iq, () -> colibri.apply(iq, xml));
                    });
                    return null;
                }
            });
            c.registerIQRequestHandler(new AbstractIqRequestHandler("healthcheck", SimBridge.HEALTH_NS, t,
                    IQRequestHandler.Mode.sync) {
                @Override
                public IQ handleIQRequest(IQ iq) {
                    control.execute(() -> {
                        healthChecks.incrementAndGet();
                        answer(c, iq, () -> healthCheck.apply(iq));
                    });
                    return null;
                }
            });
        }
    }

    private void answer(XMPPTCPConnection c, IQ iq, Supplier<IQ> reply) {
        try {
            if (hung.getAsBoolean()) {
                return;
            }
            IQ r = allowed(iq) ? reply.get()
                    : BridgeReplies.simpleError(iq, StanzaError.Condition.forbidden, StanzaError.Type.AUTH, null);
            if (r != null) {
                c.sendStanza(r);
            }
        } catch (Exception e) {
            log.warn("Sim bridge {} could not answer {} from {}: {}", o.nick, iq.getChildElementName(), iq.getFrom(),
                    e.toString());
        }
    }

    private boolean allowed(IQ iq) {
        if (o.mode == SimBridgeOptions.Mode.PUBSUB) {
            return true;
        }
        Jid from = iq.getFrom();
        return from != null && from.asBareJid().toString().equalsIgnoreCase(brewery);
    }
}
