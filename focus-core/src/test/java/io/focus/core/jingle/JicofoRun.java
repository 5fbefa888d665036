package io.focus.core.jingle;

import io.focus.core.colibri.ConferenceModifyIQ;
import io.focus.core.colibri.DtlsFingerprint;
import io.focus.core.colibri.IceCandidate;
import io.focus.core.colibri.IceUdpTransport;
import io.focus.core.colibri.MediaSource;
import io.focus.core.colibri.Source;
import io.focus.core.colibri.Sources;
import io.focus.core.colibri.SsrcGroup;
import io.focus.core.xmpp.XmlNode;
import java.util.List;

/** Values of the captured run (fixture1), written out by hand so the golden tests build stanzas from values. */
final class JicofoRun {
    private JicofoRun() {}

    static final String FOCUS = "focus@auth.meet.test/focus";
    static final String FP_JVB1 = "1C:63:1E:32:44:09:13:85:51:A4:83:BA:D9:53:CB:D1:07:7F:84:10:C9:32:B5:93:A7:34:77:A7:"
            + "51:45:67:51";
    static final String FP_JVB2 = "B6:5B:8D:9D:7F:D7:80:C5:9D:06:F4:9F:A0:9D:AD:93:22:9D:A6:78:DA:4D:75:67:BE:AD:3C:B3:"
            + "6E:9B:09:05";
    static final XmlNode TRACE = ConferenceModifyIQ.traceparent("00000000000000000000000000000000",
            "0000000000000000", "00");

    /** A bridge transport as a Colibri2 response gives it, with Jicofo's required/cryptex on the fingerprint. */
    static IceUdpTransport bridge(String ufrag, String ws, String fp, String hostId, String srflxId, int port) {
        return IceUdpTransport.builder().ufrag(ufrag).pwd("REDACTED").rtcpMux(true)
                .fingerprint(new DtlsFingerprint("sha-256", "actpass", false, false, fp))
                .webSocketUrl(ws)
                .candidate(IceCandidate.host(hostId, 1, "1", 0, "192.0.2.2", 0, port, 2130706431L, "udp"))
                .candidate(new IceCandidate(srflxId, 1, "2", 0, "127.0.0.1", 0, port, 1694498815L, "udp", "srflx",
                        "192.0.2.2", port, null))
                .build();
    }

    /** jvb2's transport for B (jingle-session-initiate.xml). */
    static IceUdpTransport jvb2ForB() {
        return bridge("1g80q1k801tg7r", "ws://127.0.0.1:18683/colibri-ws/jvb2/b08aecea60b64fff/e5f6a7b8?pwd=REDACTED",
                FP_JVB2, "50297b0a19c2af0507d14c", "363ab8f419c2af050ffffffffbf07cf4b", 10601);
    }

    /** jvb1's transport for A (jingle-session-initiate-json-sources.xml). */
    static IceUdpTransport jvb1ForA() {
        return bridge("cmot81k801tgba", "ws://127.0.0.1:18681/colibri-ws/jvb1/d776e691c45099a9/a1b2c3d4?pwd=REDACTED",
                FP_JVB1, "dd65bef13dac8ca039d6eb68", "3a7f6dfe13dac8ca0fffffffff8d6e967", 10600);
    }

    /** jvb1's transport for B after the move (jingle-session-initiate-after-move.xml). */
    static IceUdpTransport jvb1ForBAfterMove() {
        return bridge("8e08p1k801v86v", "ws://127.0.0.1:18681/colibri-ws/jvb1/5a59741889554ba9/e5f6a7b8?pwd=REDACTED",
                FP_JVB1, "1980088729e456420fd8b1e1", "398b663829e456420ffffffffced8afe0", 10600);
    }

    /** A bridge's feedback sources as the Colibri2 conference-modified carries them. */
    static Sources feedback(long audioSsrc, long videoSsrc) {
        return Sources.of(new MediaSource("audio", "jvb-a0", List.of(new Source(audioSsrc, "jvb-a0"))),
                new MediaSource("video", "jvb-v0", List.of(new Source(videoSsrc, "jvb-v0"))));
    }

    static Source src(long ssrc, String name, String videoType, String msid) {
        Source s = new Source(ssrc, name);
        if (videoType != null) {
            s = s.withVideoType(videoType);
        }
        return s.withParameter("msid", msid);
    }

    /** A participant with one audio source and a camera with RTX (FID), as the simulated clients signal. */
    static EndpointSources participant(String id, long audio, long video, long rtx) {
        return EndpointSources.of(
                List.of(src(audio, id + "-a0", null, id + "-msid-audio " + id + "-a0")),
                List.of(src(video, id + "-v0", "camera", id + "-msid-video " + id + "-v0"),
                        src(rtx, id + "-v0", "camera", id + "-msid-video " + id + "-v0")),
                List.of(new SsrcGroup("FID", List.of(video, rtx))));
    }

    static EndpointSources a() { return participant("a1b2c3d4", 2126583482L, 1634046611L, 702218162L); }
    static EndpointSources b() { return participant("e5f6a7b8", 1112786975L, 1774102663L, 1546830553L); }

    /** C's video only (what C removed). */
    static EndpointSources cVideo() {
        return EndpointSources.of(List.of(),
                List.of(src(447674469L, "c9d0e1f2-v0", "camera", "c9d0e1f2-msid-video c9d0e1f2-v0"),
                        src(2040014909L, "c9d0e1f2-v0", "camera", "c9d0e1f2-msid-video c9d0e1f2-v0")),
                List.of(new SsrcGroup("FID", List.of(447674469L, 2040014909L))));
    }
}
