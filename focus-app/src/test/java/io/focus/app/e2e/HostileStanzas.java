package io.focus.app.e2e;

import static io.focus.app.e2e.FuzzNode.el;

import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Hostile stanzas for the fuzz test: well-formed XML that the focus's parsers cannot use. Wrong namespaces and IQ
 * types, unknown IQs of every type, malformed Jingle and Colibri2 (templates shaped like the real ones, then mutated:
 * attributes set to junk or removed, children dropped, duplicated, moved to other namespaces, nested deep), bogus
 * Colibri2 replies, conference IQs with junk, errors with conditions that do not exist, and huge attributes and texts
 * (some over the focus's size limit, all under Prosody's 256 KiB). Deterministic for a seed.
 *
 * <p>Nothing here may make Prosody close the sender's stream (no comments, no processing instructions, no undeclared
 * prefixes, no characters outside XML, no {@code from}, the stanza element always in {@code jabber:client}), so the
 * focus receives every one of them.
 */
final class HostileStanzas {
    /** Where a stanza goes: to the focus's full JID, to its occupant JID in a room the sender is in, or into that room. */
    enum Route { DIRECT, OCCUPANT, ROOM_PRESENCE }

    /** One stanza: what it is (for the report), its XML, its id, and whether it must be answered (IQ get/set). */
    record Hostile(String kind, String xml, String id, boolean request) { }

    /** What the generator aims at. */
    record Target(String focusJid, String conferenceDomain, String callRoom, String fuzzRoom, List<String> realSids) { }

    static final String JINGLE = "urn:xmpp:jingle:1";
    static final String RTP = "urn:xmpp:jingle:apps:rtp:1";
    static final String SSMA = "urn:xmpp:jingle:apps:rtp:ssma:0";
    static final String ICE = "urn:xmpp:jingle:transports:ice-udp:1";
    static final String DTLS = "urn:xmpp:jingle:apps:dtls:0";
    static final String COLIBRI2 = "jitsi:colibri2";
    static final String FOCUS = "http://jitsi.org/protocol/focus";
    static final String STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";
    static final String JITMEET = "http://jitsi.org/jitmeet";

    /** Namespaces the focus or Smack know, to put where they do not belong. */
    static final List<String> KNOWN_NS = List.of(JINGLE, RTP, SSMA, ICE, DTLS, COLIBRI2, FOCUS, STANZAS, JITMEET,
            "http://jabber.org/protocol/disco#info", "http://jabber.org/protocol/disco#items", "urn:xmpp:ping",
            "http://jabber.org/protocol/muc", "http://jabber.org/protocol/muc#user", "http://jabber.org/protocol/muc#admin",
            "http://jabber.org/protocol/muc#owner", "jabber:iq:roster", "jabber:iq:version", "urn:xmpp:time",
            "http://jabber.org/protocol/caps", "jabber:x:data", "urn:xmpp:delay", "http://jitsi.org/protocol/healthcheck",
            "http://jitsi.org/protocol/colibri", "http://jabber.org/protocol/bytestreams", "vcard-temp",
            "jabber:iq:private", "http://jabber.org/protocol/pubsub", "urn:xmpp:jingle:apps:grouping:0",
            "urn:xmpp:jingle:apps:rtp:rtp-hdrext:0", "urn:xmpp:jingle:apps:rtp:rtcp-fb:0", "jabber:client", "");
    static final List<String> NAMES = List.of("jingle", "content", "description", "payload-type", "parameter",
            "source", "ssrc-group", "transport", "candidate", "fingerprint", "conference", "conference-modify",
            "conference-modified", "endpoint", "media", "relay", "sources", "media-source", "property", "query", "item",
            "x", "error", "text", "ping", "healthcheck", "json-message", "bridge-session", "reason", "group", "rtcp-mux",
            "web-socket", "sctp", "stats", "stat", "body", "c", "stats-id", "SourceInfo", "feature", "identity", "junk",
            "a", "b", "Ünïcødé", "very-long-element-name-" + "x".repeat(200));
    static final List<String> ATTRS = List.of("id", "sid", "action", "name", "ssrc", "semantics", "media", "type",
            "clockrate", "channels", "port", "ip", "component", "foundation", "generation", "network", "priority",
            "protocol", "hash", "setup", "ufrag", "pwd", "url", "room", "value", "meeting-id", "create", "expire",
            "initiator", "responder", "creator", "senders", "videoType", "owner", "jid", "node", "ver", "stamp",
            "affiliation", "role", "code", "reason", "restart", "xml:lang", "junk", "n\u00e9");

    private final Random r;
    private final Target t;
    private int freshRooms;

    HostileStanzas(long seed, Target target) {
        this.r = new Random(seed);
        this.t = target;
    }

    <T> T pick(List<T> l) { return l.get(r.nextInt(l.size())); }

    boolean chance(double p) { return r.nextDouble() < p; }

    // ------------------------------------------------------------------ junk values

    String junk() {
        return switch (r.nextInt(16)) {
            case 0 -> pick(List.of("", " ", "\t", "0", "-1", "-0"));
            case 1 -> pick(List.of("4294967295", "4294967296", "-2147483649", "18446744073709551616", "9".repeat(40)));
            case 2 -> pick(List.of("1e309", "NaN", "-Infinity", "0x10", "1.5", "\u0661\u0662\u0663", "+7"));
            case 3 -> pick(List.of("abc", "true", "null", "undefined", "{}", "[", "]]>", "&<>'\"", "--"));
            case 4 -> pick(List.of("\u00e9\u4e2d\ud83d\ude00", "\u200b", "\u202e\u0644\u0627", "e\u0301\u0301\u0301"));
            case 5 -> Long.toString(r.nextLong());
            case 6 -> Integer.toString(r.nextInt());
            case 7 -> "x".repeat(1 + r.nextInt(2000));
            case 8 -> pick(List.of("@", "@@", "a@b@c", "a b@c", "/", "room@", "@" + t.conferenceDomain()));
            case 9 -> "r" + r.nextInt(100) + "@" + t.conferenceDomain() + "/" + junkWord();
            case 10 -> "x".repeat(1100) + "@" + t.conferenceDomain();
            case 11 -> pick(List.of("{\"sources\":", "{\"sources\":{\"a\":[[{\"s\":\"x\"}]]}}", "[" .repeat(3000),
                    "{\"sources\":{\"e\":[[{\"s\":-5}],[[\"f\",1]],[{}]]}}", "{\"sources\":null}", "{\"sources\":[]}"));
            case 12 -> pick(List.of("audio", "video", "data", "application", "BUNDLE", "FID", "SIM", "sha-256", "actpass"));
            case 13 -> pick(List.of("session-accept", "source-add", "source-remove", "transport-info", "session-info",
                    "session-terminate", "transport-accept", "transport-reject", "content-modify", "session-initiate"));
            case 14 -> pick(t.realSids().isEmpty() ? List.of("s1") : t.realSids());
            default -> junkWord();
        };
    }

    String junkWord() {
        StringBuilder sb = new StringBuilder();
        int n = 1 + r.nextInt(12);
        for (int i = 0; i < n; i++) {
            sb.append((char) ('a' + r.nextInt(26)));
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ templates

    String sid() { return chance(0.5) ? pick(t.realSids().isEmpty() ? List.of("s1") : t.realSids()) : junkWord(); }

    FuzzNode jingle(String action) {
        FuzzNode j = el("jingle", JINGLE).attr("action", action).attr("sid", sid())
                .attr("initiator", t.callRoom() + "/focus").attr("responder", "x@guest/abc");
        if (chance(0.3)) {
            j.add(el("json-message", JITMEET).text(pick(List.of(
                    "{\"sources\":{\"abcd1234\":[[{\"s\":1234,\"n\":\"abcd1234-v0\",\"m\":\"m v\"}],[],[{\"s\":99}]]}}",
                    junk()))));
        }
        if (chance(0.2)) {
            j.add(el("group", "urn:xmpp:jingle:apps:grouping:0").attr("semantics", "BUNDLE")
                    .add(el("content").attr("name", "audio"), el("content").attr("name", "video")));
        }
        for (String media : List.of("audio", "video")) {
            if (chance(0.8)) {
                j.add(content(media));
            }
        }
        switch (action) {
            case "session-info" -> j.add(el("ice-state", "http://jitsi.org/protocol/focus").text("failed"),
                    el("bridge-session", "http://jitsi.org/protocol/focus").attr("id", junkWord()));
            case "session-terminate" -> j.add(el("reason").add(el(pick(List.of("success", "connectivity-error",
                    "junk"))), el("text").text(junk())), el("bridge-session", "http://jitsi.org/protocol/focus")
                    .attr("id", junkWord()).attr("restart", pick(List.of("true", "false", "maybe"))));
            default -> { }
        }
        return j;
    }

    FuzzNode content(String media) {
        FuzzNode d = el("description", RTP).attr("media", media)
                .add(el("payload-type").attr("id", "111").attr("name", "opus").attr("clockrate", "48000")
                        .attr("channels", "2").add(el("parameter").attr("name", "minptime").attr("value", "10"),
                                el("rtcp-fb", "urn:xmpp:jingle:apps:rtp:rtcp-fb:0").attr("type", "transport-cc")))
                .add(el("source", SSMA).attr("ssrc", Long.toString(r.nextInt(Integer.MAX_VALUE)))
                        .attr("name", "ep-" + media.charAt(0) + "0")
                        .add(el("parameter").attr("name", "msid").attr("value", "ep-" + media + " track")))
                .add(el("rtp-hdrext", "urn:xmpp:jingle:apps:rtp:rtp-hdrext:0").attr("id", "1")
                        .attr("uri", "urn:ietf:params:rtp-hdrext:ssrc-audio-level"));
        if (media.equals("video")) {
            d.add(el("ssrc-group", SSMA).attr("semantics", "FID").add(el("source").attr("ssrc", "1"),
                    el("source").attr("ssrc", "2")));
        }
        FuzzNode tr = el("transport", ICE).attr("ufrag", junkWord()).attr("pwd", junkWord())
                .add(el("fingerprint", DTLS).attr("hash", "sha-256").attr("setup", "active").text("57:9F:5A:60"));
        if (chance(0.5)) {
            tr.add(el("candidate").attr("component", "1").attr("foundation", "1").attr("generation", "0")
                    .attr("id", junkWord()).attr("ip", "10.0.0.1").attr("network", "0").attr("port", "10000")
                    .attr("priority", "2130706431").attr("protocol", "udp").attr("type", "host"));
        }
        return el("content").attr("creator", "responder").attr("name", media).attr("senders", "both").add(d, tr);
    }

    FuzzNode conferenceModify() {
        return el("conference-modify", COLIBRI2).attr("meeting-id", junkWord()).attr("name", t.callRoom())
                .attr("create", "true").add(el("endpoint").attr("id", junkWord()).attr("create", "true")
                        .add(el("media").attr("type", "audio").add(el("payload-type").attr("id", "111")
                                .attr("name", "opus").attr("clockrate", "48000")),
                                el("transport").add(el("transport", ICE).attr("ufrag", "u").attr("pwd", "p"))));
    }

    FuzzNode conferenceModified() {
        return el("conference-modified", COLIBRI2).attr("meeting-id", junkWord()).attr("name", t.callRoom())
                .add(el("endpoint").attr("id", junkWord()).add(
                        el("transport").add(el("transport", ICE).attr("ufrag", "u").attr("pwd", "p")
                                .add(el("fingerprint", DTLS).attr("hash", "sha-256").attr("setup", "actpass").text("AB:CD"),
                                        el("candidate").attr("port", "10000").attr("ip", "127.0.0.1")
                                                .attr("component", "1").attr("type", "host"),
                                        el("web-socket", "http://jitsi.org/protocol/colibri").attr("url", "wss://x"))),
                        el("sources").add(el("media-source").attr("type", "audio").attr("id", "jvb-a0")
                                .add(el("source", SSMA).attr("ssrc", "12345").attr("name", "jvb-a0")))));
    }

    FuzzNode conference() {
        String room;
        int which = r.nextInt(10);
        if (which < 3) {
            room = t.callRoom();
        } else if (which < 5) {
            room = t.fuzzRoom();
        } else if (which == 5 && freshRooms < 8) {
            freshRooms++;
            room = "fuzz-new-" + junkWord() + "@" + t.conferenceDomain();
        } else {
            room = junk();
        }
        FuzzNode c = el("conference", FOCUS).attr("room", room).attr("machine-uid", junk());
        int props = chance(0.05) ? 300 + r.nextInt(300) : r.nextInt(6);
        for (int i = 0; i < props; i++) {
            String name = pick(List.of("startAudioMuted", "startVideoMuted", "rtcstatsEnabled", "visitors-version",
                    "disableRtx", "channelLastN", "bridge-count", junkWord()));
            c.add(el("property").attr("name", name + (chance(0.5) ? "" : Integer.toString(i))).attr("value", junk()));
        }
        return c;
    }

    FuzzNode error() {
        FuzzNode e = el("error");
        switch (r.nextInt(6)) {
            case 0 -> e.attr("type", "cancel").add(el(pick(List.of("nonsense", "gone-fishing", "junk")), STANZAS));
            case 1 -> { } // no type, no condition
            case 2 -> e.attr("type", junkWord()).add(el("bad-request", STANZAS));
            case 3 -> e.attr("type", "wait").attr("code", junk()).add(el("resource-constraint", STANZAS));
            case 4 -> e.attr("type", "cancel").add(el("feature-not-implemented", STANZAS),
                    el("text", STANZAS).attr("xml:lang", "en").text(junk()),
                    el("error", COLIBRI2).attr("reason", pick(List.of("UNKNOWN_ENDPOINT", "CONFERENCE_NOT_FOUND", "junk"))));
            default -> e.attr("type", "modify").add(el("bad-request", STANZAS), el("text", STANZAS).text(junk()));
        }
        return e;
    }

    FuzzNode smackKnown() {
        return switch (r.nextInt(12)) {
            case 0 -> el("query", "http://jabber.org/protocol/disco#info").attr("node", junk());
            case 1 -> el("query", "http://jabber.org/protocol/disco#items").attr("node", junk());
            case 2 -> el("ping", "urn:xmpp:ping").add(el(junkWord(), junkWord()).text(junk()));
            case 3 -> el("query", "jabber:iq:version");
            case 4 -> el("time", "urn:xmpp:time");
            case 5 -> el("query", "http://jabber.org/protocol/muc#admin").add(el("item").attr("affiliation", junk())
                    .attr("jid", junk()).attr("role", junk()));
            case 6 -> el("query", "http://jabber.org/protocol/muc#owner").add(el("x", "jabber:x:data")
                    .attr("type", junk()).add(el("field").attr("var", junk()).add(el("value").text(junk()))));
            case 7 -> el("query", "http://jabber.org/protocol/bytestreams").attr("sid", junk())
                    .add(el("streamhost").attr("jid", junk()).attr("host", junk()).attr("port", junk()));
            case 8 -> el("query", "jabber:iq:roster").add(el("item").attr("jid", junk()).attr("subscription", junk()));
            case 9 -> el("healthcheck", "http://jitsi.org/protocol/healthcheck");
            case 10 -> el("vCard", "vcard-temp").add(el("FN").text(junk()));
            default -> el("pubsub", "http://jabber.org/protocol/pubsub").add(el("items").attr("node", junk())
                    .attr("max_items", junk()));
        };
    }

    FuzzNode unknownChild() {
        FuzzNode c = el(pick(NAMES), chance(0.7) ? "urn:fuzz:" + junkWord() : pick(KNOWN_NS));
        if (c.ns != null && c.ns.isEmpty()) {
            c.ns = null; // an empty default namespace on an IQ child: the child of a stanza inherits jabber:client
        }
        for (int i = r.nextInt(4); i > 0; i--) {
            c.attr(pick(ATTRS), junk());
        }
        if (chance(0.5)) {
            c.text(junk());
            c.cdata = chance(0.3);
        }
        for (int i = r.nextInt(3); i > 0; i--) {
            c.add(el(pick(NAMES), chance(0.5) ? null : pick(KNOWN_NS)).attr(pick(ATTRS), junk()));
        }
        return c;
    }

    // ------------------------------------------------------------------ mutations

    FuzzNode mutate(FuzzNode root) {
        FuzzNode n = root.copy();
        for (int k = 1 + r.nextInt(4); k > 0; k--) {
            List<FuzzNode> all = n.all();
            FuzzNode at = pick(all);
            switch (r.nextInt(9)) {
                case 0, 1 -> at.attr(at.attrs.isEmpty() || chance(0.3) ? pick(ATTRS) : pick(List.copyOf(at.attrs.keySet())),
                        junk());
                case 2 -> {
                    if (!at.attrs.isEmpty()) {
                        at.attrs.remove(pick(List.copyOf(at.attrs.keySet())));
                    }
                }
                case 3 -> {
                    if (!at.children.isEmpty()) {
                        at.children.remove(r.nextInt(at.children.size()));
                    }
                }
                case 4 -> {
                    if (!at.children.isEmpty()) {
                        FuzzNode c = pick(at.children);
                        for (int i = chance(0.1) ? 200 : 1 + r.nextInt(3); i > 0; i--) {
                            at.children.add(c.copy());
                        }
                    }
                }
                case 5 -> at.add(unknownChild());
                case 6 -> {
                    if (at != n) {
                        at.ns = pick(KNOWN_NS);
                        if (at.ns.isEmpty()) {
                            at.ns = null;
                        }
                    }
                }
                case 7 -> at.text(junk());
                default -> {
                    FuzzNode deep = at;
                    for (int i = chance(0.2) ? 500 : r.nextInt(20); i > 0; i--) {
                        FuzzNode c = el(pick(NAMES));
                        deep.add(c);
                        deep = c;
                    }
                }
            }
        }
        return n;
    }

    // ------------------------------------------------------------------ stanzas

    private FuzzNode iq(String type, String id, String to, FuzzNode child) {
        FuzzNode iq = el("iq").attr("type", type).attr("id", id).attr("to", to);
        if (chance(0.05)) {
            iq.attr(pick(List.of("xml:lang", "junk", "ver")), junk());
        }
        if (child != null) {
            iq.add(child);
        }
        return iq;
    }

    private Hostile request(String kind, String id, String to, FuzzNode child) {
        return new Hostile(kind, iq(chance(0.6) ? "set" : "get", id, to, child).xml(), id, true);
    }

    private Hostile reply(String kind, String id, String to, FuzzNode child, boolean error) {
        FuzzNode iq = iq(error ? "error" : "result", id, to, child);
        if (error) {
            iq.add(error());
        }
        return new Hostile(kind, iq.xml(), id, false);
    }

    /** Prosody closes the stream of a client that sends more than 256 KiB in one stanza; ours stay well under. */
    static final int MAX_BYTES = 200_000;

    /**
     * The next hostile stanza, sent by a client ({@code id} unique per sender), to the focus at {@code focusTo} (its
     * full JID, or its occupant JID in a room the sender is in).
     */
    Hostile next(Route route, String id, String focusTo) {
        while (true) {
            Hostile h = generate(route, id, focusTo);
            if (h.xml().getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= MAX_BYTES) {
                return h;
            }
        }
    }

    private Hostile generate(Route route, String id, String focusTo) {
        if (route == Route.ROOM_PRESENCE) {
            return roomPresence(id);
        }
        int roll = r.nextInt(100);
        if (roll < 12) {
            return request("unknown-iq", id, focusTo, unknownChild());
        } else if (roll < 18) {
            return reply("unknown-reply", id, focusTo, chance(0.7) ? unknownChild() : null, chance(0.5));
        } else if (roll < 20) {
            return new Hostile("request-with-error-child", iq(chance(0.5) ? "set" : "get", id, focusTo, error()).xml(),
                    id, true);
        } else if (roll < 26) {
            FuzzNode known = pick(List.<Supplier<FuzzNode>>of(() -> jingle(junk()), this::conference,
                    this::conferenceModify, this::smackKnown)).get();
            String type = pick(List.of("get", "result", "error"));
            return type.equals("get") ? new Hostile("wrong-type", iq("get", id, focusTo, known).xml(), id, true)
                    : reply("wrong-type", id, focusTo, known, type.equals("error"));
        } else if (roll < 46) {
            String action = pick(List.of("session-accept", "source-add", "source-remove", "transport-info",
                    "session-info", "session-terminate", "transport-accept", "transport-reject", junkWord()));
            FuzzNode j = jingle(action);
            return request("jingle", id, focusTo, chance(0.9) ? mutate(j) : j);
        } else if (roll < 52) {
            return request("colibri2-request", id, focusTo, mutate(conferenceModify()));
        } else if (roll < 60) {
            return reply("colibri2-reply", id, focusTo, chance(0.8) ? mutate(conferenceModified()) : conferenceModify(),
                    chance(0.4));
        } else if (roll < 72) {
            FuzzNode c = conference();
            return request("conference", id, focusTo, chance(0.7) ? mutate(c) : c);
        } else if (roll < 82) {
            return request("smack-known", id, focusTo, chance(0.5) ? mutate(smackKnown()) : smackKnown());
        } else if (roll < 88) {
            return message(id, focusTo);
        } else if (roll < 92) {
            return directedPresence(id);
        } else if (roll < 98) {
            return message(id, focusTo);
        } else if (chance(0.5)) {
            return huge(id, focusTo, 70_000 + r.nextInt(110_000)); // over the 64 KiB limit
        } else {
            return huge(id, focusTo, 8_000 + r.nextInt(45_000)); // under it
        }
    }

    private Hostile huge(String id, String to, int size) {
        String big = "h".repeat(size);
        int where = r.nextInt(4);
        if (where == 3) {
            FuzzNode m = el("message").attr("to", to).attr("id", id).attr("type", "chat")
                    .add(el("body").text(big));
            return new Hostile(size > 65536 ? "huge-message" : "big-message", m.xml(), id, false);
        }
        FuzzNode child = switch (where) {
            case 0 -> jingle("source-add").attr("junk", big);
            case 1 -> conference().add(el("property").attr("name", "x").attr("value", big));
            default -> el("ping", "urn:xmpp:ping").text(big);
        };
        return request(size > 65536 ? "huge-request" : "big-request", id, to, child);
    }

    private Hostile message(String id, String to) {
        String type = pick(List.of("chat", "normal", "headline", "groupchat", "error"));
        FuzzNode m = el("message").attr("to", to).attr("id", id).attr("type", type);
        if (chance(0.7)) {
            m.add(el("body").text(junk()));
        }
        for (int i = r.nextInt(3); i > 0; i--) {
            m.add(pick(List.<Supplier<FuzzNode>>of(
                    () -> el("delay", "urn:xmpp:delay").attr("stamp", junk()),
                    () -> el("x", "jabber:x:data").attr("type", junk()),
                    () -> el("x", "http://jabber.org/protocol/muc#user").add(el("invite").attr("from", junk())),
                    () -> el("json-message", JITMEET).text(junk()),
                    () -> el("x", "jabber:x:conference").attr("jid", junk()),
                    this::unknownChild)).get());
        }
        if (type.equals("error")) {
            m.add(error());
        }
        return new Hostile("message", m.xml(), id, false);
    }

    private Hostile directedPresence(String id) {
        FuzzNode p = el("presence").attr("to", t.focusJid()).attr("id", id);
        if (chance(0.3)) {
            p.attr("type", pick(List.of("unavailable", "error")));
        }
        presenceJunk(p);
        return new Hostile("presence", p.xml(), id, false);
    }

    private void presenceJunk(FuzzNode p) {
        for (int i = 1 + r.nextInt(3); i > 0; i--) {
            p.add(pick(List.<Supplier<FuzzNode>>of(
                    () -> el("c", "http://jabber.org/protocol/caps").attr("hash", pick(List.of("sha-1", junkWord())))
                            .attr("node", junk()).attr("ver", junk()),
                    () -> el("x", "http://jabber.org/protocol/muc#user").add(el("item").attr("affiliation", junk())
                            .attr("role", junk()).attr("jid", junk()), el("status").attr("code", junk())),
                    () -> el("priority").text(junk()),
                    () -> el("show").text(junk()),
                    () -> el("status").text(junk()),
                    () -> el("stats-id").text(junk()),
                    () -> el("jitsi_participant_region").text(junk()),
                    () -> el("SourceInfo").text(junk()),
                    () -> el("jitsi_participant_codecList").text(junk()),
                    () -> el("features").add(el("feature").attr("var", junk())),
                    () -> el("nick", "http://jabber.org/protocol/nick").text(junk()),
                    this::unknownChild)).get());
        }
    }

    /** A presence update in the fuzz room (the sender has joined it): jitsi-meet's extensions, with junk. */
    private Hostile roomPresence(String id) {
        FuzzNode p = el("presence").attr("to", t.fuzzRoom() + "/fuzzer").attr("id", id);
        presenceJunk(p);
        if (chance(0.02)) {
            p.add(el("status").text("p".repeat(70_000 + r.nextInt(50_000))));
        }
        return new Hostile("room-presence", p.xml(), id, false);
    }
}
