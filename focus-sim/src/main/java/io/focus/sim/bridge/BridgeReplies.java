package io.focus.sim.bridge;

import java.util.Map;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.w3c.dom.Element;

import io.focus.sim.xml.RawExtension;
import io.focus.sim.xml.RawIQ;
import io.focus.sim.xml.Xml;

/** The replies a simulated bridge sends, written from templates shaped like the real JVB's. */
final class BridgeReplies {
    private BridgeReplies() {}

    /**
     * An error reply echoing the request's (empty) child element. Built from a template, not with
     * {@code IQ.createErrorResponse}, which re-serialises an {@code UnparsedIQ} request badly.
     */
    static IQ simpleError(IQ request, StanzaError.Condition condition, StanzaError.Type type, String text) {
        StanzaError.Builder err = StanzaError.getBuilder(condition).setType(type);
        if (text != null) {
            err.setDescriptiveEnText(text);
        }
        RawIQ res = new RawIQ(request.getChildElementName(), request.getChildElementNamespace(), Map.of(), "");
        res.setType(IQ.Type.error);
        res.setTo(request.getFrom());
        res.setStanzaId(request.getStanzaId());
        res.setError(err.build());
        return res;
    }

    /** The result IQ for a {@code conference-modify}: {@code <conference-modified xmlns='jitsi:colibri2'>...}. */
    static IQ resultIq(IQ request, ColibriReply.Result r) {
        RawIQ res = new RawIQ("conference-modified", ColibriModel.NS, Map.of(), r.innerXml());
        res.setType(IQ.Type.result);
        res.setTo(request.getFrom());
        res.setStanzaId(request.getStanzaId());
        return res;
    }

    /** The error IQ for a refused {@code conference-modify}, shaped like the real JVB's (see {@link ColibriReply.Error}). */
    static IQ errorIq(IQ request, ColibriReply.Error e) {
        StanzaError.Builder err = StanzaError.getBuilder(StanzaError.Condition.fromString(e.condition()))
                .setType(StanzaError.Type.CANCEL);
        if (e.text() != null) {
            err.setDescriptiveEnText(e.text());
        }
        if (e.colibriReason() != null) {
            err.addExtension(new RawExtension("error", ColibriModel.NS,
                    "<error xmlns='" + ColibriModel.NS + "' reason='" + Xml.esc(e.colibriReason()) + "'/>"));
        }
        if (e.extraXml() != null) {
            Element extra = Xml.parse(e.extraXml());
            err.addExtension(new RawExtension(extra.getLocalName(), extra.getNamespaceURI(), e.extraXml()));
        }
        RawIQ res = new RawIQ("conference-modify", ColibriModel.NS, e.echo(), "");
        res.setType(IQ.Type.error);
        res.setTo(request.getFrom());
        res.setStanzaId(request.getStanzaId());
        res.setError(err.build());
        return res;
    }
}
