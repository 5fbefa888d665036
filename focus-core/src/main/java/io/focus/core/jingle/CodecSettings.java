package io.focus.core.jingle;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.focus.core.colibri.Media;
import io.focus.core.colibri.PayloadType;
import io.focus.core.colibri.RtpHdrExt;
import java.util.ArrayList;
import java.util.List;

/**
 * The codecs and RTP header extensions the focus offers, from Jicofo's {@code jicofo.codec.*} keys (defaults in
 * focus-core's reference.conf). Built and validated once; bad values stop start-up naming the key.
 *
 * <p>The offer follows Jicofo: video AV1, VP8, H264 (with Jicofo's fixed profile-level-id), VP9 with ccm fir,
 * nack, nack pli (+ goog-remb when enabled and the participant supports it, + transport-cc), then their RTX types
 * (apt, and the same feedback except for H264's RTX); audio RED (only when enabled) before opus (minptime,
 * useinbandfec unless RED is on, transport-cc) and telephone-event.
 */
public final class CodecSettings {
    public static final String PATH = "jicofo.codec";

    static final String H264_PROFILE = "42e01f;level-asymmetry-allowed=1;packetization-mode=1;";

    /** A video codec: {@code enabled}, {@code pt}, {@code rtx-pt} (-1 disables RTX), {@code enable-remb}. */
    public record VideoCodec(String name, boolean enabled, int pt, int rtxPt, boolean enableRemb) {
        public boolean isEnabled() { return enabled && pt > 0; }
        public boolean rtxEnabled() { return isEnabled() && rtxPt > 0; }
    }

    /** An RTP header extension: {@code enabled}, {@code id}. */
    public record Extension(String uri, boolean enabled, int id) {}

    private final VideoCodec av1;
    private final VideoCodec vp8;
    private final VideoCodec vp9;
    private final VideoCodec h264;
    private final boolean opusEnabled;
    private final int opusPt;
    private final int opusMinptime;
    private final boolean opusInbandFec;
    private final boolean redEnabled;
    private final int redPt;
    private final boolean telephoneEventEnabled;
    private final int telephoneEventPt;
    private final Extension audioLevel;
    private final Extension av1DependencyDescriptor;
    private final Extension videoLayersAllocation;
    private final Extension tof;
    private final Extension absSendTime;
    private final Extension rid;
    private final Extension tcc;
    private final Extension videoContentType;
    private final Extension framemarking;
    private final Extension mid;
    private final boolean extmapAllowMixed;

    private CodecSettings(Config c) {
        av1 = video(c, "video.av1", "AV1");
        vp8 = video(c, "video.vp8", "VP8");
        vp9 = video(c, "video.vp9", "VP9");
        h264 = video(c, "video.h264", "H264");
        opusEnabled = c.getBoolean("audio.opus.enabled");
        opusPt = pt(c, "audio.opus.pt");
        opusMinptime = c.getInt("audio.opus.minptime");
        opusInbandFec = c.getBoolean("audio.opus.use-inband-fec");
        redEnabled = c.getBoolean("audio.opus.red.enabled");
        redPt = pt(c, "audio.opus.red.pt");
        telephoneEventEnabled = c.getBoolean("audio.telephone-event.enabled");
        telephoneEventPt = pt(c, "audio.telephone-event.pt");
        audioLevel = ext(c, "audio-level", "urn:ietf:params:rtp-hdrext:ssrc-audio-level");
        av1DependencyDescriptor = ext(c, "av1-dependency-descriptor",
                "https://aomediacodec.github.io/av1-rtp-spec/#dependency-descriptor-rtp-header-extension");
        videoLayersAllocation = ext(c, "video-layers-allocation",
                "http://www.webrtc.org/experiments/rtp-hdrext/video-layers-allocation00");
        tof = ext(c, "tof", "urn:ietf:params:rtp-hdrext:toffset");
        absSendTime = ext(c, "abs-send-time", "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time");
        rid = ext(c, "rid", "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id");
        tcc = ext(c, "tcc", "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01");
        videoContentType = ext(c, "video-content-type",
                "http://www.webrtc.org/experiments/rtp-hdrext/video-content-type");
        framemarking = ext(c, "framemarking", "http://tools.ietf.org/html/draft-ietf-avtext-framemarking-07");
        mid = ext(c, "mid", "urn:ietf:params:rtp-hdrext:sdes:mid");
        extmapAllowMixed = c.getBoolean("rtp-extensions.extmap-allow-mixed");
    }

    /**
     * Reads {@code jicofo.codec} from the whole configuration (which must include focus-core's reference.conf).
     *
     * @throws ConfigException naming the key when a value is missing, of the wrong type or out of range
     */
    public static CodecSettings fromConfig(Config root) {
        return new CodecSettings(root.getConfig(PATH));
    }

    /** Jicofo's defaults (focus-core's reference.conf alone). */
    public static CodecSettings defaults() {
        return fromConfig(ConfigFactory.defaultReference());
    }

    private static VideoCodec video(Config c, String path, String name) {
        return new VideoCodec(name, c.getBoolean(path + ".enabled"), pt(c, path + ".pt"),
                c.getInt(path + ".rtx-pt") <= 0 ? -1 : pt(c, path + ".rtx-pt"), c.getBoolean(path + ".enable-remb"));
    }

    private static int pt(Config c, String path) {
        int v = c.getInt(path);
        if (v > 127) {
            throw new ConfigException.BadValue(c.origin(), PATH + "." + path,
                    "an RTP payload type must be at most 127 (-1 or 0 disables), got " + v);
        }
        return v;
    }

    private static Extension ext(Config c, String name, String uri) {
        String path = "rtp-extensions." + name;
        int id = c.getInt(path + ".id");
        if (id < 1 || id > 255) {
            throw new ConfigException.BadValue(c.origin(), PATH + "." + path + ".id",
                    "an RTP header extension id must be within 1..255, got " + id);
        }
        return new Extension(uri, c.getBoolean(path + ".enabled"), id);
    }

    public VideoCodec av1() { return av1; }
    public VideoCodec vp8() { return vp8; }
    public VideoCodec vp9() { return vp9; }
    public VideoCodec h264() { return h264; }
    public boolean redEnabled() { return redEnabled; }
    public boolean extmapAllowMixed() { return extmapAllowMixed; }

    public List<PayloadType> audioPayloadTypes(OfferOptions o) {
        List<PayloadType> out = new ArrayList<>();
        if (opusEnabled && opusPt > 0) {
            if (redEnabled && redPt > 0 && o.opusRed()) {
                // RED first, so that it is the selected codec; its fmtp line names opus as primary and secondary
                out.add(PayloadType.builder(redPt, "red").clockrate(48000).channels(2)
                        .parameter("", opusPt + "/" + opusPt).build());
            }
            PayloadType.Builder opus = PayloadType.builder(opusPt, "opus").clockrate(48000).channels(2)
                    .parameter("minptime", Integer.toString(opusMinptime));
            if (opusInbandFec && !redEnabled) {
                opus.parameter("useinbandfec", "1");
            }
            if (tcc.enabled() && o.tcc()) {
                opus.rtcpFb("transport-cc");
            }
            out.add(opus.build());
        }
        if (telephoneEventEnabled && telephoneEventPt > 0) {
            out.add(PayloadType.builder(telephoneEventPt, "telephone-event").clockrate(8000).build());
        }
        return out;
    }

    public List<PayloadType> videoPayloadTypes(OfferOptions o) {
        List<PayloadType> out = new ArrayList<>();
        for (VideoCodec v : List.of(av1, vp8, h264, vp9)) {
            if (!v.isEnabled()) {
                continue;
            }
            PayloadType.Builder b = PayloadType.builder(v.pt(), v.name()).clockrate(90000)
                    .rtcpFb("ccm", "fir").rtcpFb("nack").rtcpFb("nack", "pli");
            if (v.enableRemb() && o.remb()) {
                b.rtcpFb("goog-remb");
            }
            if (tcc.enabled() && o.tcc()) {
                b.rtcpFb("transport-cc");
            }
            if (v == h264) {
                b.parameter("profile-level-id", H264_PROFILE);
            }
            out.add(b.build());
        }
        if (o.rtx()) {
            for (VideoCodec v : List.of(av1, vp8, vp9, h264)) {
                if (!v.rtxEnabled()) {
                    continue;
                }
                PayloadType.Builder b = PayloadType.builder(v.rtxPt(), "rtx").clockrate(90000)
                        .parameter("apt", Integer.toString(v.pt()));
                if (v != h264) {
                    b.rtcpFb("ccm", "fir").rtcpFb("nack").rtcpFb("nack", "pli");
                }
                out.add(b.build());
            }
        }
        return out;
    }

    public List<RtpHdrExt> audioHeaderExtensions(OfferOptions o) {
        List<RtpHdrExt> out = new ArrayList<>();
        add(out, audioLevel);
        add(out, mid);
        if (o.tcc()) {
            add(out, tcc);
        }
        return out;
    }

    public List<RtpHdrExt> videoHeaderExtensions(OfferOptions o) {
        List<RtpHdrExt> out = new ArrayList<>();
        add(out, videoLayersAllocation);
        add(out, av1DependencyDescriptor);
        add(out, tof);
        add(out, mid);
        add(out, absSendTime);
        add(out, framemarking);
        add(out, videoContentType);
        add(out, rid);
        if (o.tcc()) {
            add(out, tcc);
        }
        return out;
    }

    private static void add(List<RtpHdrExt> out, Extension e) {
        if (e.enabled()) {
            out.add(new RtpHdrExt(e.id(), e.uri()));
        }
    }

    /** The same audio offer as a Colibri2 {@code <media type="audio">} (what Jicofo sends the bridge). */
    public Media colibriAudio(OfferOptions o) {
        Media.Builder b = Media.builder("audio");
        audioPayloadTypes(o).forEach(b::payloadType);
        audioHeaderExtensions(o).forEach(b::rtpHdrExt);
        return b.extmapAllowMixed(extmapAllowMixed).build();
    }

    /** The same video offer as a Colibri2 {@code <media type="video">}. */
    public Media colibriVideo(OfferOptions o) {
        Media.Builder b = Media.builder("video");
        videoPayloadTypes(o).forEach(b::payloadType);
        videoHeaderExtensions(o).forEach(b::rtpHdrExt);
        return b.extmapAllowMixed(extmapAllowMixed).build();
    }
}
