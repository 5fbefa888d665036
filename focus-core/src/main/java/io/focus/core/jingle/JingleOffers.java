package io.focus.core.jingle;

import io.focus.core.colibri.IceUdpTransport;
import io.focus.core.colibri.Source;
import io.focus.core.colibri.SsrcGroup;
import io.focus.core.xmpp.XmlNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jxmpp.jid.Jid;

/**
 * Builds the Jingle IQs the focus sends to a participant, the way Jicofo builds them: {@code session-initiate} and
 * {@code transport-replace} (offer: audio/video/data contents from the {@link CodecSettings}, the bridge's ICE-UDP
 * transport, the sources of the bridge and of every other participant, BUNDLE group, bridge-session),
 * {@code source-add} / {@code source-remove} (XML contents, or the compact JSON form for participants that support
 * it) and {@code session-terminate}. Pure functions of their inputs; thread-safe.
 */
public final class JingleOffers {
    private final CodecSettings codecs;

    public JingleOffers(CodecSettings codecs) {
        this.codecs = Objects.requireNonNull(codecs, "codecs");
    }

    /**
     * Everything an offer is built from.
     *
     * @param to the participant's occupant JID
     * @param sid the Jingle session id (a new one per session-initiate)
     * @param initiator the focus's own JID, written as {@code initiator}
     * @param transport the bridge side of the participant's endpoint from the Colibri2 allocation
     * @param sctpPort the bridge's SCTP port (adds a {@code data} content), or null
     * @param sources the sources to offer: the bridge's feedback sources (owner "jvb", see
     *     {@link EndpointSources#fromBridgeFeedback}) and every other participant's, by endpoint id
     * @param bridgeSession the Colibri2 session id and the bridge's region
     * @param options what the participant supports
     * @param jsonSources whether to encode the sources as a json-message (participant supports it and
     *     {@code use-json-encoded-sources} is on)
     * @param extraChildren appended to the jingle element as they are (e.g. a traceparent), may be empty
     */
    public record Offer(Jid to, String sid, String initiator, IceUdpTransport transport, Integer sctpPort,
                        ConferenceSources sources, BridgeSession bridgeSession, OfferOptions options,
                        boolean jsonSources, List<XmlNode> extraChildren) {
        public Offer {
            Objects.requireNonNull(sid, "sid");
            Objects.requireNonNull(transport, "transport");
            sources = sources == null ? ConferenceSources.EMPTY : sources;
            options = options == null ? OfferOptions.DEFAULT : options;
            extraChildren = extraChildren == null ? List.of() : List.copyOf(extraChildren);
        }
    }

    public JingleIQ sessionInitiate(Offer offer) {
        return offer(JingleAction.SESSION_INITIATE, offer);
    }

    /** The ReplaceTransport re-invite: the same offer on the existing session. */
    public JingleIQ transportReplace(Offer offer) {
        return offer(JingleAction.TRANSPORT_REPLACE, offer);
    }

    private JingleIQ offer(JingleAction action, Offer o) {
        JingleIQ.Builder b = JingleIQ.builder(action, o.sid()).initiator(o.initiator());
        JingleTransport transport = JingleTransport.of(o.transport());
        List<String> names = new ArrayList<>();
        OfferOptions opt = o.options();
        if (opt.audio()) {
            RtpDescription.Builder d = RtpDescription.builder(EndpointSources.AUDIO).maxptime(60)
                    .payloadTypes(codecs.audioPayloadTypes(opt)).rtpHdrExts(codecs.audioHeaderExtensions(opt))
                    .extmapAllowMixed(codecs.extmapAllowMixed()).rtcpMux(true);
            if (!o.jsonSources()) {
                addSources(d, o.sources(), EndpointSources.AUDIO);
            }
            b.content(JingleContent.offered(EndpointSources.AUDIO, d.build(), transport));
            names.add(EndpointSources.AUDIO);
        }
        if (opt.video()) {
            RtpDescription.Builder d = RtpDescription.builder(EndpointSources.VIDEO)
                    .payloadTypes(codecs.videoPayloadTypes(opt)).rtpHdrExts(codecs.videoHeaderExtensions(opt))
                    .extmapAllowMixed(codecs.extmapAllowMixed()).rtcpMux(true);
            if (!o.jsonSources()) {
                addSources(d, o.sources(), EndpointSources.VIDEO);
            }
            b.content(JingleContent.offered(EndpointSources.VIDEO, d.build(), transport));
            names.add(EndpointSources.VIDEO);
        }
        if (opt.sctp() && o.sctpPort() != null) {
            b.content(JingleContent.offered("data", RtpDescription.builder("application").build(),
                    transport.withSctpMap(SctpMap.dataChannel(o.sctpPort()))));
            names.add("data");
        }
        if (!names.isEmpty()) {
            b.group(JingleIQ.ContentGroup.bundle(names));
        }
        b.bridgeSession(o.bridgeSession());
        if (o.jsonSources() && !o.sources().isEmpty()) {
            b.jsonMessage(JsonSources.encode(o.sources()));
        }
        o.extraChildren().forEach(b::otherChild);
        return addressed(b.build(), o.to());
    }

    /** {@code source-add} of {@code sources} (by owner) to a participant in session {@code sid}. */
    public JingleIQ sourceAdd(Jid to, String sid, ConferenceSources sources, boolean json) {
        return sourceChange(JingleAction.SOURCE_ADD, to, sid, sources, json);
    }

    /** {@code source-remove} of {@code sources} (by owner) from a participant in session {@code sid}. */
    public JingleIQ sourceRemove(Jid to, String sid, ConferenceSources sources, boolean json) {
        return sourceChange(JingleAction.SOURCE_REMOVE, to, sid, sources, json);
    }

    private static JingleIQ sourceChange(JingleAction action, Jid to, String sid, ConferenceSources sources,
                                         boolean json) {
        JingleIQ.Builder b = JingleIQ.builder(action, sid);
        if (json) {
            b.jsonMessage(JsonSources.encode(sources));
        } else {
            for (String media : List.of(EndpointSources.AUDIO, EndpointSources.VIDEO)) {
                RtpDescription.Builder d = RtpDescription.builder(media);
                if (addSources(d, sources, media)) {
                    b.content(JingleContent.sourcesOnly(media, d.build()));
                }
            }
        }
        return addressed(b.build(), to);
    }

    /** {@code session-terminate} with a reason (and optionally a bridge-session). */
    public static JingleIQ sessionTerminate(Jid to, String sid, JingleReason reason, BridgeSession bridgeSession) {
        return addressed(JingleIQ.builder(JingleAction.SESSION_TERMINATE, sid).reason(reason)
                .bridgeSession(bridgeSession).build(), to);
    }

    /** What Jicofo sends before re-inviting a moved participant: reason success, text "moving". */
    public static JingleIQ sessionTerminateMoving(Jid to, String sid) {
        return sessionTerminate(to, sid, JingleReason.MOVING, null);
    }

    /** Adds each owner's sources of that media, then its groups; true if anything was added. */
    private static boolean addSources(RtpDescription.Builder d, ConferenceSources sources, String media) {
        boolean any = false;
        for (Map.Entry<String, EndpointSources> e : sources.byOwner().entrySet()) {
            for (Source s : e.getValue().sources(media)) {
                d.source(s.withOwner(e.getKey()));
                any = true;
            }
            for (SsrcGroup g : e.getValue().groups(media)) {
                d.ssrcGroup(g);
                any = true;
            }
        }
        return any;
    }

    private static JingleIQ addressed(JingleIQ iq, Jid to) {
        if (to != null) {
            iq.setTo(to);
        }
        return iq;
    }
}
