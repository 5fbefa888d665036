package io.focus.sim.participant;

import static io.focus.sim.participant.JingleCodec.DTLS_NS;
import static io.focus.sim.participant.JingleCodec.FOCUS_NS;
import static io.focus.sim.participant.JingleCodec.GROUPING_NS;
import static io.focus.sim.participant.JingleCodec.ICE_NS;
import static io.focus.sim.participant.JingleCodec.JITMEET_NS;
import static io.focus.sim.participant.JingleCodec.RTCP_FB_NS;
import static io.focus.sim.participant.JingleCodec.RTP_NS;
import static io.focus.sim.participant.JingleCodec.SSMA_NS;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.focus.sim.xml.Xml;

/**
 * What a simulated participant sends, as XML text: the inner XML of {@code <jingle>} and its attributes, shaped
 * like the captured simulated participant ({@code sim-jingle-session-accept.xml}, {@code sim-jingle-source-remove.xml})
 * and like lib-jitsi-meet for the stanzas that were not captured ({@code session-info} with {@code <ice-state>},
 * {@code session-terminate} with {@code <bridge-session restart>}, {@code transport-accept}).
 */
public final class JingleTemplates {
    private JingleTemplates() { }

    /** The payload type ids the participant answers with, looked up by name in the offer (fallbacks from the fixture). */
    public record Answer(int opus, int vp8, int vp8Rtx) {
        public static Answer from(List<Codec> offered) {
            int opus = 111;
            int vp8 = 100;
            int rtx = 96;
            for (Codec c : offered) {
                if ("audio".equals(c.media()) && "opus".equalsIgnoreCase(c.name())) {
                    opus = c.id();
                }
                if ("video".equals(c.media()) && "VP8".equalsIgnoreCase(c.name())) {
                    vp8 = c.id();
                }
            }
            for (Codec c : offered) {
                if ("video".equals(c.media()) && "rtx".equalsIgnoreCase(c.name())
                        && String.valueOf(vp8).equals(c.parameters().get("apt"))) {
                    rtx = c.id();
                }
            }
            return new Answer(opus, vp8, rtx);
        }
    }

    /**
     * A made-up transport like a browser's: a 4-character ufrag, a 24-character pwd, a random sha-256 fingerprint
     * with {@code setup='active'}, no {@code rtcp-mux} in the transport (the client puts it in the description) and
     * no candidates unless {@code withCandidate} (then one host candidate on 127.0.0.1).
     */
    public static IceTransport newTransport(String endpointId, Random rnd, boolean withCandidate) {
        StringBuilder fp = new StringBuilder();
        for (int i = 0; i < 32; i++) {
            fp.append(i == 0 ? "" : ":").append(String.format("%02X", rnd.nextInt(256)));
        }
        List<IceTransport.Candidate> cands = new ArrayList<>();
        if (withCandidate) {
            Map<String, String> cand = new LinkedHashMap<>();
            cand.put("component", "1");
            cand.put("foundation", "1");
            cand.put("generation", "0");
            cand.put("id", endpointId + "-c" + Integer.toHexString(rnd.nextInt(0x10000)));
            cand.put("ip", "127.0.0.1");
            cand.put("network", "0");
            cand.put("port", Integer.toString(40000 + rnd.nextInt(20000)));
            cand.put("priority", "2130706431");
            cand.put("protocol", "udp");
            cand.put("type", "host");
            cands.add(new IceTransport.Candidate(cand));
        }
        return new IceTransport(randomString(rnd, 4), randomString(rnd, 24), fp.toString(), "sha-256", "active",
                cands, null, false);
    }

    private static String randomString(Random rnd, int n) {
        String abc = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(abc.charAt(rnd.nextInt(abc.length())));
        }
        return b.toString();
    }

    /**
     * The participant's own sources: one audio SSRC ({@code <ep>-a0}) and video {@code <ep>-v0} as one SSRC + RTX
     * (FID), or three simulcast layers (SIM + three FIDs).
     */
    public static EndpointSources newOwnSources(String endpointId, boolean simulcast, Random rnd) {
        List<MediaSource> s = new ArrayList<>();
        List<SsrcGroup> g = new ArrayList<>();
        s.add(new MediaSource(ssrc(rnd), "audio", endpointId + "-a0", endpointId + "-audio-0-1 " + uuid(rnd) + "-1", null));
        String vName = endpointId + "-v0";
        String vMsid = endpointId + "-video-0-1 " + uuid(rnd) + "-1";
        int layers = simulcast ? 3 : 1;
        List<Long> primaries = new ArrayList<>();
        List<SsrcGroup> fids = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            long p = ssrc(rnd);
            long r = ssrc(rnd);
            primaries.add(p);
            s.add(new MediaSource(p, "video", vName, vMsid, "camera"));
            s.add(new MediaSource(r, "video", vName, vMsid, "camera"));
            fids.add(new SsrcGroup("video", "FID", List.of(p, r)));
        }
        if (simulcast) {
            g.add(new SsrcGroup("video", "SIM", primaries));
        }
        g.addAll(fids);
        return new EndpointSources(s, g);
    }

    private static String uuid(Random rnd) {
        return new java.util.UUID(rnd.nextLong(), rnd.nextLong()).toString();
    }

    private static long ssrc(Random rnd) {
        return 1 + (rnd.nextLong() & 0x7FFF_FFFEL);
    }

    // ------------------------------------------------------------------ stanzas (attributes + inner XML of <jingle>)

    /** {@code <jingle>} attributes in the order the templates use. */
    public static Map<String, String> attrs(String action, String initiator, String responder, String sid) {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("action", action);
        if (initiator != null) {
            a.put("initiator", initiator);
        }
        if (responder != null) {
            a.put("responder", responder);
        }
        a.put("sid", sid);
        return a;
    }

    /**
     * session-accept contents as lib-jitsi-meet writes them (a-044 of real-call): the BUNDLE group first (naming
     * {@code data} too, though no data content follows), then per media a content {@code creator='responder'
     * senders='both'} whose description holds the payload types, the own sources (name, ssrc, videoType, an msid
     * parameter), their SSRC groups and {@code rtcp-mux}, and the transport (ufrag, pwd, fingerprint; candidates only
     * if the transport has any). The codec list is the simulator's own (opus; VP8 + RTX, ids from the offer).
     */
    public static String sessionAcceptInner(Answer ans, EndpointSources own, IceTransport t, String owner) {
        StringBuilder b = new StringBuilder();
        b.append("<group xmlns='").append(GROUPING_NS).append("' semantics='BUNDLE'><content name='audio'/>")
                .append("<content name='video'/><content name='data'/></group>");
        for (String media : List.of("audio", "video")) {
            List<MediaSource> ms = own.sources().stream().filter(s -> media.equals(s.media())).toList();
            b.append("<content creator='responder' name='").append(media).append("' senders='both'>");
            b.append("<description xmlns='").append(RTP_NS).append("' media='").append(media).append("'>");
            if ("audio".equals(media)) {
                b.append("<payload-type id='").append(ans.opus()).append("' name='opus' clockrate='48000' channels='2'>")
                        .append("<parameter name='minptime' value='10'/><parameter name='useinbandfec' value='1'/>")
                        .append("<rtcp-fb xmlns='").append(RTCP_FB_NS).append("' type='transport-cc'/></payload-type>");
            } else {
                b.append("<payload-type id='").append(ans.vp8()).append("' name='VP8' clockrate='90000' channels='1'>")
                        .append("<rtcp-fb xmlns='").append(RTCP_FB_NS).append("' type='transport-cc'/>")
                        .append("<rtcp-fb xmlns='").append(RTCP_FB_NS).append("' type='ccm' subtype='fir'/>")
                        .append("<rtcp-fb xmlns='").append(RTCP_FB_NS).append("' type='nack'/>")
                        .append("<rtcp-fb xmlns='").append(RTCP_FB_NS).append("' type='nack' subtype='pli'/></payload-type>")
                        .append("<payload-type id='").append(ans.vp8Rtx()).append("' name='rtx' clockrate='90000' channels='1'>")
                        .append("<parameter name='apt' value='").append(ans.vp8()).append("'/></payload-type>");
            }
            appendSources(b, ms, own.groups().stream().filter(g -> media.equals(g.media())).toList(), owner);
            b.append("<rtcp-mux/></description>");
            appendTransport(b, t);
            b.append("</content>");
        }
        return b.toString();
    }

    /** transport-accept (lib-jitsi-meet: one content per m-line, creator 'responder', transport only). */
    public static String transportAcceptInner(IceTransport t) {
        StringBuilder b = new StringBuilder();
        for (String media : List.of("audio", "video")) {
            b.append("<content creator='responder' name='").append(media).append("'>");
            appendTransport(b, t);
            b.append("</content>");
        }
        return b.toString();
    }

    /** source-add / source-remove of own sources: one {@code <content name=media>} per media present. */
    public static String sourcesInner(EndpointSources sources, String owner) {
        StringBuilder b = new StringBuilder();
        for (String media : List.of("audio", "video")) {
            List<MediaSource> ms = sources.sources().stream().filter(s -> media.equals(s.media())).toList();
            List<SsrcGroup> gs = sources.groups().stream().filter(g -> media.equals(g.media())).toList();
            if (ms.isEmpty() && gs.isEmpty()) {
                continue;
            }
            b.append("<content name='").append(media).append("'><description xmlns='").append(RTP_NS)
                    .append("' media='").append(media).append("'>");
            appendSources(b, ms, gs, owner);
            b.append("</description></content>");
        }
        return b.toString();
    }

    /** session-info reporting ICE failure for a bridge session (lib-jitsi-meet {@code sendIceFailedNotification}). */
    public static String iceFailedInner(String bridgeSessionId) {
        StringBuilder b = new StringBuilder("<ice-state xmlns='").append(FOCUS_NS).append("'>failed</ice-state>");
        if (bridgeSessionId != null) {
            b.append("<bridge-session xmlns='").append(FOCUS_NS).append("' id='").append(Xml.esc(bridgeSessionId)).append("'/>");
        }
        return b.toString();
    }

    /**
     * session-terminate: {@code <reason><condition/><text/></reason>}, then {@code <bridge-session id restart>} when
     * there is a bridge session (lib-jitsi-meet {@code terminate} with {@code requestRestart}).
     */
    public static String terminateInner(String reason, String text, String bridgeSessionId, boolean restart) {
        StringBuilder b = new StringBuilder("<reason><").append(reason).append("/>");
        if (text != null) {
            b.append("<text>").append(Xml.esc(text)).append("</text>");
        }
        b.append("</reason>");
        if (bridgeSessionId != null) {
            b.append("<bridge-session xmlns='").append(FOCUS_NS).append("' id='").append(Xml.esc(bridgeSessionId))
                    .append("' restart='").append(restart).append("'/>");
        }
        return b.toString();
    }

    private static void appendSources(StringBuilder b, List<MediaSource> ms, List<SsrcGroup> gs, String owner) {
        for (MediaSource s : ms) {
            b.append("<source xmlns='").append(SSMA_NS).append('\'');
            if (s.name() != null) {
                b.append(" name='").append(Xml.esc(s.name())).append('\'');
            }
            b.append(" ssrc='").append(s.ssrc()).append('\'');
            if (s.videoType() != null) {
                b.append(" videoType='").append(Xml.esc(s.videoType())).append('\'');
            }
            b.append('>');
            if (owner != null) {
                b.append("<ssrc-info xmlns='").append(JITMEET_NS).append("' owner='").append(Xml.esc(owner)).append("'/>");
            }
            if (s.msid() != null) {
                b.append("<parameter name='msid' value='").append(Xml.esc(s.msid())).append("'/>");
            }
            b.append("</source>");
        }
        for (SsrcGroup g : gs) {
            b.append("<ssrc-group xmlns='").append(SSMA_NS).append("' semantics='").append(Xml.esc(g.semantics())).append("'>");
            g.ssrcs().forEach(x -> b.append("<source ssrc='").append(x).append("'/>"));
            b.append("</ssrc-group>");
        }
    }

    private static void appendTransport(StringBuilder b, IceTransport t) {
        b.append("<transport xmlns='").append(ICE_NS).append("' ufrag='").append(Xml.esc(t.ufrag()))
                .append("' pwd='").append(Xml.esc(t.pwd())).append("'>");
        if (t.rtcpMux()) {
            b.append("<rtcp-mux/>");
        }
        if (t.fingerprint() != null) {
            b.append("<fingerprint xmlns='").append(DTLS_NS).append("' hash='").append(Xml.esc(t.hash()))
                    .append("' setup='").append(Xml.esc(t.setup())).append("'>").append(Xml.esc(t.fingerprint()))
                    .append("</fingerprint>");
        }
        for (IceTransport.Candidate c : t.candidates()) {
            b.append("<candidate");
            c.attributes().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> b.append(' ').append(e.getKey()).append("='").append(Xml.esc(e.getValue())).append('\''));
            b.append("/>");
        }
        b.append("</transport>");
    }
}
