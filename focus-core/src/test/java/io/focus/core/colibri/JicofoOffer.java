package io.focus.core.colibri;

/**
 * The audio and video media Jicofo (7ebb13dc, default config) put in every endpoint and relay request of the
 * captured run, written out value by value from the fixtures, so the golden tests build requests with the
 * builders instead of round-tripping the fixture.
 */
final class JicofoOffer {
    private JicofoOffer() {}

    static final String TWCC = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
    static final String MID = "urn:ietf:params:rtp-hdrext:sdes:mid";

    static Media audio() {
        return Media.builder("audio")
                .payloadType(PayloadType.builder(111, "opus").clockrate(48000).channels(2)
                        .parameter("minptime", "10").parameter("useinbandfec", "1").rtcpFb("transport-cc").build())
                .payloadType(PayloadType.builder(126, "telephone-event").clockrate(8000).build())
                .rtpHdrExt(1, "urn:ietf:params:rtp-hdrext:ssrc-audio-level")
                .rtpHdrExt(10, MID)
                .rtpHdrExt(5, TWCC)
                .extmapAllowMixed(true)
                .build();
    }

    private static PayloadType.Builder video(int id, String name) {
        return PayloadType.builder(id, name).clockrate(90000)
                .rtcpFb("ccm", "fir").rtcpFb("nack").rtcpFb("nack", "pli");
    }

    private static PayloadType rtx(int id, int apt) {
        return PayloadType.builder(id, "rtx").clockrate(90000).parameter("apt", Integer.toString(apt))
                .rtcpFb("ccm", "fir").rtcpFb("nack").rtcpFb("nack", "pli").build();
    }

    static Media video() {
        return Media.builder("video")
                .payloadType(video(41, "AV1").rtcpFb("transport-cc").build())
                .payloadType(video(100, "VP8").rtcpFb("transport-cc").build())
                .payloadType(video(107, "H264").rtcpFb("transport-cc")
                        .parameter("profile-level-id", "42e01f;level-asymmetry-allowed=1;packetization-mode=1;")
                        .build())
                .payloadType(video(101, "VP9").rtcpFb("transport-cc").build())
                .payloadType(rtx(42, 41))
                .payloadType(rtx(96, 100))
                .payloadType(rtx(97, 101))
                .payloadType(PayloadType.builder(99, "rtx").clockrate(90000).parameter("apt", "107").build())
                .rtpHdrExt(11, "https://aomediacodec.github.io/av1-rtp-spec/#dependency-descriptor-rtp-header-extension")
                .rtpHdrExt(10, MID)
                .rtpHdrExt(3, "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time")
                .rtpHdrExt(5, TWCC)
                .extmapAllowMixed(true)
                .build();
    }
}
