package io.focus.core.jingle;

import io.focus.core.colibri.MediaSource;
import io.focus.core.colibri.Source;
import io.focus.core.colibri.Sources;
import io.focus.core.colibri.SsrcGroup;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The audio and video sources and SSRC groups one endpoint (a participant, or the bridge as "jvb") signals. Sources
 * are held without an owner; the owner is the key they are filed under ({@link ConferenceSources}) and is written
 * into {@code <ssrc-info owner>} when they are signalled. Immutable.
 */
public record EndpointSources(List<Source> audio, List<Source> video, List<SsrcGroup> audioGroups,
                              List<SsrcGroup> videoGroups) {
    public static final EndpointSources EMPTY = new EndpointSources(List.of(), List.of(), List.of(), List.of());

    public static final String AUDIO = "audio";
    public static final String VIDEO = "video";

    public EndpointSources {
        audio = audio.stream().map(s -> s.withOwner(null)).toList();
        video = video.stream().map(s -> s.withOwner(null)).toList();
        audioGroups = List.copyOf(audioGroups);
        videoGroups = List.copyOf(videoGroups);
    }

    public static EndpointSources of(List<Source> audio, List<Source> video, List<SsrcGroup> videoGroups) {
        return new EndpointSources(audio, video, List.of(), videoGroups);
    }

    public List<Source> sources(String media) {
        return AUDIO.equals(media) ? audio : VIDEO.equals(media) ? video : List.of();
    }

    public List<SsrcGroup> groups(String media) {
        return AUDIO.equals(media) ? audioGroups : VIDEO.equals(media) ? videoGroups : List.of();
    }

    public int ssrcCount() { return audio.size() + video.size(); }
    public int groupCount() { return audioGroups.size() + videoGroups.size(); }
    public boolean isEmpty() { return ssrcCount() == 0 && groupCount() == 0; }

    /** Every SSRC, audio first. */
    public Set<Long> ssrcs() {
        Set<Long> out = new LinkedHashSet<>();
        audio.forEach(s -> out.add(s.ssrc()));
        video.forEach(s -> out.add(s.ssrc()));
        return out;
    }

    /** These sources and groups followed by those of {@code other} that are not here yet. */
    public EndpointSources plus(EndpointSources other) {
        return new EndpointSources(union(audio, other.audio), union(video, other.video),
                unionGroups(audioGroups, other.audioGroups), unionGroups(videoGroups, other.videoGroups));
    }

    /** Without the SSRCs and groups of {@code other} (and without groups that lost a member). */
    public EndpointSources minus(EndpointSources other) {
        Set<Long> gone = other.ssrcs();
        return new EndpointSources(
                audio.stream().filter(s -> !gone.contains(s.ssrc())).toList(),
                video.stream().filter(s -> !gone.contains(s.ssrc())).toList(),
                audioGroups.stream().filter(g -> !other.audioGroups.contains(g)
                        && g.ssrcs().stream().noneMatch(gone::contains)).toList(),
                videoGroups.stream().filter(g -> !other.videoGroups.contains(g)
                        && g.ssrcs().stream().noneMatch(gone::contains)).toList());
    }

    /**
     * What receivers are told when Jicofo's {@code strip-simulcast} is on: of each SIM group only the first SSRC
     * stays (with its FID/RTX partner); the SIM groups and the other layers (and their FID groups) are dropped.
     */
    public EndpointSources stripSimulcast() {
        Set<Long> dropped = new HashSet<>();
        List<SsrcGroup> keptGroups = new ArrayList<>();
        for (SsrcGroup g : videoGroups) {
            if (g.semantics().equals("SIM")) {
                dropped.addAll(g.ssrcs().subList(1, g.ssrcs().size()));
            }
        }
        for (SsrcGroup g : videoGroups) {
            if (g.semantics().equals("SIM")) {
                continue;
            }
            if (!g.ssrcs().isEmpty() && dropped.contains(g.ssrcs().get(0))) {
                dropped.addAll(g.ssrcs()); // the RTX of a dropped layer goes too
            } else {
                keptGroups.add(g);
            }
        }
        if (dropped.isEmpty() && keptGroups.size() == videoGroups.size()) {
            return this;
        }
        return new EndpointSources(audio, video.stream().filter(s -> !dropped.contains(s.ssrc())).toList(),
                audioGroups, keptGroups);
    }

    /**
     * These sources as Colibri2 {@code <sources>}: one {@code <media-source type id=name>} per source name (in
     * order of first appearance), its sources without owner or msid, and the groups whose first SSRC is in it —
     * the shape Jicofo sends to the bridge after a session-accept.
     */
    public Sources toColibri() {
        List<MediaSource> out = new ArrayList<>();
        addColibri(out, AUDIO, audio, audioGroups);
        addColibri(out, VIDEO, video, videoGroups);
        return new Sources(out);
    }

    private static void addColibri(List<MediaSource> out, String type, List<Source> sources, List<SsrcGroup> groups) {
        Map<String, List<Source>> byName = new LinkedHashMap<>();
        for (Source s : sources) {
            String id = s.name() != null ? s.name() : type + "-" + s.ssrc();
            byName.computeIfAbsent(id, k -> new ArrayList<>())
                    .add(new Source(s.ssrc(), s.name(), s.videoType(), null, List.of()));
        }
        for (Map.Entry<String, List<Source>> e : byName.entrySet()) {
            Set<Long> mine = new HashSet<>();
            e.getValue().forEach(s -> mine.add(s.ssrc()));
            List<SsrcGroup> gs = groups.stream().filter(g -> !g.ssrcs().isEmpty() && mine.contains(g.ssrcs().get(0)))
                    .toList();
            out.add(new MediaSource(type, e.getKey(), e.getValue(), gs));
        }
    }

    /**
     * The bridge's feedback sources from a Colibri2 response, as Jicofo signals them to participants: each with the
     * msid {@code mixedmslabel mixedlabel<type>0}.
     */
    public static EndpointSources fromBridgeFeedback(Sources feedback) {
        if (feedback == null) {
            return EMPTY;
        }
        List<Source> a = new ArrayList<>();
        List<Source> v = new ArrayList<>();
        List<SsrcGroup> vg = new ArrayList<>();
        List<SsrcGroup> ag = new ArrayList<>();
        for (MediaSource m : feedback.mediaSources()) {
            boolean isAudio = m.type().equals(AUDIO);
            for (Source s : m.sources()) {
                Source withMsid = s.parameters().stream().anyMatch(p -> p.name().equals("msid")) ? s
                        : s.withParameter("msid", "mixedmslabel mixedlabel" + m.type() + "0");
                (isAudio ? a : v).add(withMsid);
            }
            (isAudio ? ag : vg).addAll(m.ssrcGroups());
        }
        return new EndpointSources(a, v, ag, vg);
    }

    /** The audio and video sources in Jingle contents (description media, or the content name if absent). */
    public static EndpointSources fromContents(List<JingleContent> contents) {
        List<Source> a = new ArrayList<>();
        List<Source> v = new ArrayList<>();
        List<SsrcGroup> ag = new ArrayList<>();
        List<SsrcGroup> vg = new ArrayList<>();
        for (JingleContent c : contents) {
            RtpDescription d = c.description();
            if (d == null) {
                continue;
            }
            String media = d.media() != null ? d.media() : c.name();
            if (AUDIO.equals(media)) {
                a.addAll(d.sources());
                ag.addAll(d.ssrcGroups());
            } else if (VIDEO.equals(media)) {
                v.addAll(d.sources());
                vg.addAll(d.ssrcGroups());
            }
        }
        return new EndpointSources(a, v, ag, vg);
    }

    private static List<Source> union(List<Source> a, List<Source> b) {
        Set<Long> seen = new HashSet<>();
        List<Source> out = new ArrayList<>();
        for (Source s : a) {
            if (seen.add(s.ssrc())) {
                out.add(s);
            }
        }
        for (Source s : b) {
            if (seen.add(s.ssrc())) {
                out.add(s);
            }
        }
        return out;
    }

    private static List<SsrcGroup> unionGroups(List<SsrcGroup> a, List<SsrcGroup> b) {
        List<SsrcGroup> out = new ArrayList<>(a);
        b.stream().filter(g -> !out.contains(g)).forEach(out::add);
        return out;
    }
}
