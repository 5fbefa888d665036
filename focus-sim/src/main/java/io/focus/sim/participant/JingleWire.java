package io.focus.sim.participant;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.w3c.dom.Element;

import io.focus.sim.xml.RawExtension;
import io.focus.sim.xml.RawIQ;
import io.focus.sim.xml.Xml;

/** The small pieces of Jingle a simulated participant reads and writes: reasons, source views, replies. */
final class JingleWire {
    static final String JINGLE_ERRORS_NS = "urn:xmpp:jingle:errors:1";

    private JingleWire() {}

    static String reasonOf(Element j) {
        return Xml.child(j, "reason").map(r -> {
            StringBuilder b = new StringBuilder();
            for (Element c : Xml.children(r)) {
                b.append(b.length() == 0 ? "" : " ").append("text".equals(c.getLocalName()) ? c.getTextContent() : c.getLocalName());
            }
            return b.toString();
        }).orElse(null);
    }
    static Map<String, EndpointSources> apply(Map<String, EndpointSources> view, Map<String, EndpointSources> change, boolean add) {
        Map<String, EndpointSources> m = new LinkedHashMap<>(view);
        change.forEach((owner, s) -> {
            EndpointSources cur = m.getOrDefault(owner, EndpointSources.EMPTY);
            EndpointSources next = add ? cur.plus(s) : cur.minus(s);
            if (next.isEmpty()) {
                m.remove(owner);
            } else {
                m.put(owner, next);
            }
        });
        return Collections.unmodifiableMap(m);
    }
    static Set<String> owners(Map<String, EndpointSources> m) {
        return m.keySet();
    }
    static EndpointSources only(EndpointSources s, String media) {
        if (media == null) {
            return s;
        }
        return new EndpointSources(s.sources().stream().filter(x -> media.equals(x.media())).toList(),
                s.groups().stream().filter(g -> media.equals(g.media())).toList());
    }
    static JingleReply failure(Exception e) {
        if (e instanceof XMPPException.XMPPErrorException x) {
            StanzaError err = x.getStanzaError();
            return new JingleReply("error", err.getCondition().toString(), err.getDescriptiveText());
        }
        if (e instanceof SmackException.NoResponseException) {
            return new JingleReply("timeout", null, e.getMessage());
        }
        return new JingleReply("not-sent", null, e.toString());
    }
    static CompletableFuture<JingleReply> notSent(String why) {
        return CompletableFuture.completedFuture(new JingleReply("not-sent", null, why));
    }

    /**
     * An error reply built by hand (Smack's createErrorResponse mangles requests it did not parse) and without a
     * child element: an echoed empty {@code <jingle/>} would make a Jingle provider at the focus choke on it.
     */
    static IQ errorReply(IQ iq, StanzaError.Condition condition, String text, String jingleError) {
        StanzaError.Builder err = StanzaError.getBuilder(condition).setType(
                condition == StanzaError.Condition.bad_request ? StanzaError.Type.MODIFY : StanzaError.Type.CANCEL);
        if (text != null) {
            err.setDescriptiveEnText(text);
        }
        if (jingleError != null) {
            err.addExtension(new RawExtension(jingleError, JINGLE_ERRORS_NS,
                    "<" + jingleError + " xmlns='" + JINGLE_ERRORS_NS + "'/>"));
        }
        RawIQ res = new RawIQ(null, null, Map.of(), "");
        res.setType(IQ.Type.error);
        res.setTo(iq.getFrom());
        res.setStanzaId(iq.getStanzaId());
        res.setError(err.build());
        return res;
    }
}
