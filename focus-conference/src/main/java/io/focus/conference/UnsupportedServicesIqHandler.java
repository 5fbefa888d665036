package io.focus.conference;

import io.focus.core.xmpp.IqErrors;
import io.focus.core.xmpp.XmlNode;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import java.util.ArrayList;
import java.util.List;
import org.jivesoftware.smack.XMPPConnection;
import org.jivesoftware.smack.iqrequest.AbstractIqRequestHandler;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.packet.UnparsedIQ;
import org.jivesoftware.smack.util.PacketParserUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses, with a reply that says so, what clients ask of Jibri and Jigasi through the focus, until the focus supports
 * them: a recording, live-streaming or SIP-through-Jibri request ({@code <jibri xmlns="http://jitsi.org/protocol/jibri"
 * action="start" recording_mode="file|stream" .../>}) and a dial-out or transcription request (Rayo
 * {@code <dial xmlns="urn:xmpp:rayo:1" to="..."/>}, {@code to="jitsi_meet_transcribe"} for transcription), sent to the
 * focus's occupant JID in a room ({@code room@conference.example.com/focus}, how Jitsi Meet addresses it) or to its own
 * JID. Each gets {@code feature-not-implemented} with a text naming what is not supported (without it, the focus's
 * connection would answer a bare {@code service-unavailable}, which the client shows as a generic failure). Counted in
 * {@code focus_unsupported_requests_total{feature}} and logged.
 *
 * <p>Register on the client connection with {@link #register}; the Rayo and Jibri elements have no Smack provider, so
 * they arrive as {@link UnparsedIQ} and are read here only for the text.
 */
public final class UnsupportedServicesIqHandler extends AbstractIqRequestHandler {
    private static final Logger log = LoggerFactory.getLogger(UnsupportedServicesIqHandler.class);
    public static final String JIBRI_ELEMENT = "jibri";
    public static final String JIBRI_NAMESPACE = "http://jitsi.org/protocol/jibri";
    public static final String DIAL_ELEMENT = "dial";
    public static final String RAYO_NAMESPACE = "urn:xmpp:rayo:1";
    /** The {@code to} of a Rayo dial that asks for a transcriber rather than a phone call (Jitsi Meet's value). */
    static final String TRANSCRIBER = "jitsi_meet_transcribe";

    private final Counter refused;

    UnsupportedServicesIqHandler(String element, String namespace, IQ.Type type, Counter refused) {
        super(element, namespace, type, Mode.async);
        this.refused = refused;
    }

    /** The handlers, registered for {@code set} and {@code get} of both elements; unregister with {@link #unregister}. */
    public static final class Registration {
        private final XMPPConnection connection;
        private final List<UnsupportedServicesIqHandler> handlers;

        private Registration(XMPPConnection connection, List<UnsupportedServicesIqHandler> handlers) {
            this.connection = connection;
            this.handlers = handlers;
        }

        public void unregister() {
            handlers.forEach(connection::unregisterIQRequestHandler);
        }
    }

    /**
     * Registers the handlers on {@code connection}.
     *
     * @param metrics where {@code focus_unsupported_requests_total} is registered (once per registry)
     */
    public static Registration register(XMPPConnection connection, CollectorRegistry metrics) {
        return register(connection, counter(metrics));
    }

    static Counter counter(CollectorRegistry metrics) {
        return Counter.build("focus_unsupported_requests_total",
                "Requests for what the focus does not support (Jibri recording and live streaming, Jigasi dial-out and "
                        + "transcription), answered feature-not-implemented, by feature").labelNames("feature")
                .register(metrics);
    }

    static Registration register(XMPPConnection connection, Counter refused) {
        List<UnsupportedServicesIqHandler> hs = new ArrayList<>();
        for (IQ.Type t : List.of(IQ.Type.set, IQ.Type.get)) {
            hs.add(new UnsupportedServicesIqHandler(JIBRI_ELEMENT, JIBRI_NAMESPACE, t, refused));
            hs.add(new UnsupportedServicesIqHandler(DIAL_ELEMENT, RAYO_NAMESPACE, t, refused));
        }
        hs.forEach(connection::registerIQRequestHandler);
        return new Registration(connection, List.copyOf(hs));
    }

    @Override
    public IQ handleIQRequest(IQ request) {
        XmlNode payload = payload(request);
        Feature f = JIBRI_ELEMENT.equals(getElement()) ? jibriFeature(payload) : rayoFeature(payload);
        refused.labels(f.label).inc();
        log.info("Refused a {} request from {} to {}: {} (feature-not-implemented)", f.label, request.getFrom(),
                request.getTo(), f.text);
        // Not IQ.createErrorResponse(request, error): for an UnparsedIQ, Smack 4.4.8 copies the request's child into
        // the reply as escaped text inside an unclosed tag, and Prosody closes the focus's stream as not-well-formed.
        // Only the error (IqErrors.withoutPayload, as StanzaHygiene answers).
        StanzaError error = StanzaError.getBuilder(StanzaError.Condition.feature_not_implemented)
                .setDescriptiveEnText(f.text).build();
        return IqErrors.withoutPayload(request, error);
    }

    /** What was asked for, the metric label and the reply's text. */
    record Feature(String label, String text) {}

    static Feature jibriFeature(XmlNode jibri) {
        String why = " is not supported by this focus (it has no Jibri support)";
        String sip = jibri == null ? null : jibri.attr("sipaddress");
        String mode = jibri == null ? null : jibri.attr("recording_mode");
        if (sip != null && !sip.isBlank()) {
            return new Feature("sip-call", "a SIP call through Jibri" + why);
        }
        if ("stream".equals(mode)) {
            return new Feature("live-streaming", "live streaming" + why);
        }
        if ("file".equals(mode)) {
            return new Feature("recording", "recording" + why);
        }
        return new Feature("recording", "recording and live streaming" + why);
    }

    static Feature rayoFeature(XmlNode dial) {
        String why = " is not supported by this focus (it has no Jigasi support)";
        if (dial != null && TRANSCRIBER.equals(dial.attr("to"))) {
            return new Feature("transcription", "transcription" + why);
        }
        return new Feature("dial-out", "dial-out" + why);
    }

    /** The request's child element, or null when it cannot be read (the reply is then the generic one). */
    private XmlNode payload(IQ request) {
        if (!(request instanceof UnparsedIQ unparsed)) {
            return null;
        }
        try {
            return XmlNode.read(PacketParserUtils.getParserFor(unparsed.getContent().toString()));
        } catch (Exception e) {
            log.debug("Could not read the <{}> of a request from {}: {}", getElement(), request.getFrom(), e.toString());
            return null;
        }
    }

    @Override public String toString() { return "UnsupportedServicesIqHandler[" + getElement() + " " + getType() + "]"; }
}
