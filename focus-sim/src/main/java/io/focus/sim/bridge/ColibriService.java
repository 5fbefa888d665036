package io.focus.sim.bridge;

import java.util.Objects;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.w3c.dom.Element;

import io.focus.sim.xml.Xml;

/**
 * A simulated bridge's Colibri2 service: the model answers {@code conference-modify} as a real JVB does, unless a
 * fault is set (errors or silence for the next requests). The bridge's control thread only.
 */
final class ColibriService {
    private final ColibriModel model;
    private ColibriFault fault = ColibriFault.NONE;
    private int faultLeft;
    private boolean rejectCreatesInGracefulShutdown = true;

    ColibriService(ColibriModel model) {
        this.model = model;
    }

    void setFault(ColibriFault f) {
        fault = Objects.requireNonNull(f);
        faultLeft = f.times();
    }

    void setRejectCreatesInGracefulShutdown(boolean on) {
        rejectCreatesInGracefulShutdown = on;
    }

    ModelSnapshot snapshot() {
        return model.snapshot();
    }

    /** The reply to a {@code conference-modify} (its child element as text), or null for none (a silent fault). */
    IQ handle(IQ iq, String xml, boolean gracefulShutdown) {
        Element req;
        try {
            req = Xml.parse(xml);
        } catch (IllegalArgumentException e) {
            return BridgeReplies.simpleError(iq, StanzaError.Condition.bad_request, StanzaError.Type.MODIFY, e.getMessage());
        }
        if (fault.kind() != ColibriFault.Kind.NONE && faultLeft != 0) {
            if (faultLeft > 0) {
                faultLeft--;
            }
            ColibriFault f = fault;
            if (faultLeft == 0) {
                fault = ColibriFault.NONE;
            }
            return f.kind() == ColibriFault.Kind.ERROR
                    ? BridgeReplies.errorIq(iq, new ColibriReply.Error(f.condition(), f.text(), f.colibriReason(),
                            Xml.attributes(req)))
                    : null;
        }
        ColibriReply reply = model.handle(req, gracefulShutdown && rejectCreatesInGracefulShutdown);
        if (reply instanceof ColibriReply.Result r) {
            return BridgeReplies.resultIq(iq, r);
        }
        return reply instanceof ColibriReply.Error e ? BridgeReplies.errorIq(iq, e) : null;
    }
}
