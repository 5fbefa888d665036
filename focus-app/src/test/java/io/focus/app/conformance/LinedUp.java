package io.focus.app.conformance;

import io.focus.sim.xml.Xml;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.w3c.dom.Element;

/**
 * Sequence a's call set-up lined up with a later sequence of another room (c, d start with the call already up, so
 * they carry no joins or first offers of their own): a's stanzas with each of a's clients renamed to the endpoint id
 * (MUC nick), the JIDs and the stats-id of the client whose part it plays there, a's room to that room, and a's
 * roles in the file names to the roles there. The bridges' answers of a (transports, feedback sources) stay as
 * recorded.
 */
final class LinedUp {
    private static final Pattern STATS_ID = Pattern.compile("stats-id='([^']+)'|<stats-id>([^<]+)</stats-id>");

    /** One client as seen in a sequence: its MUC nick (endpoint id), its full JID, its room. */
    record Identity(String nick, String fullJid, String room) {
        String bareJid() { return ReplayedCall.bareOf(fullJid); }
    }

    private LinedUp() { }

    /** Sequence a, with a's roles (keys of {@code aRoleToTarget}) playing the clients of {@code target}. */
    static RecordedSequence setupFor(RecordedSequence target, Map<String, String> aRoleToTarget) {
        RecordedSequence a = RecordedSequence.load("a");
        Map<String, String> fullJids = new LinkedHashMap<>();
        Map<String, String> rest = new LinkedHashMap<>();
        String room = null;
        for (Map.Entry<String, String> r : aRoleToTarget.entrySet()) {
            Identity from = identity(a, r.getKey());
            Identity to = identity(target, r.getValue());
            fullJids.put(from.fullJid(), to.fullJid());
            rest.put(from.bareJid(), to.bareJid());
            rest.put(from.nick(), to.nick());
            rest.put(from.room(), to.room());
            room = to.room();
        }
        if (room == null) {
            throw new IllegalArgumentException("no roles to line up");
        }
        Map<String, String> renames = new LinkedHashMap<>(fullJids); // full JIDs before their bare parts
        renames.putAll(rest);
        renames.put(statsId(a), statsId(target));
        return RecordedSequence.load("a", renames).withRoles(aRoleToTarget);
    }

    /**
     * A client's identity from the first stanza it sent through the room that names its JID: its room join or
     * room leave (the MUC item's jid) or its session-accept (the Jingle responder).
     */
    static Identity identity(RecordedSequence seq, String role) {
        for (RecordedSequence.Step s : seq.where(s -> s.sender().equals(role))) {
            Element e = s.deliveredXml();
            String from = e.getAttribute("from");
            int slash = from.indexOf('/');
            if (slash < 0 || !from.contains("@conference.")) {
                continue;
            }
            String jid = Xml.child(e, "x").flatMap(x -> Xml.child(x, "item")).map(i -> i.getAttribute("jid"))
                    .filter(j -> !j.isEmpty()).orElse(null);
            if (jid == null && ReplayClient.jingleOf(e) != null) {
                jid = ReplayClient.jingleOf(e).getAttribute("responder");
            }
            if (jid != null && !jid.isEmpty()) {
                return new Identity(from.substring(slash + 1), jid, from.substring(0, slash));
            }
        }
        throw new IllegalStateException("no stanza of " + role + " in sequence " + seq.name() + " names its JID");
    }

    /** The stats-id the clients of a run presented (one per run in these recordings). */
    static String statsId(RecordedSequence seq) {
        for (RecordedSequence.Step s : seq.steps()) {
            Matcher m = STATS_ID.matcher(s.wire() + s.delivered());
            if (m.find()) {
                return m.group(1) != null ? m.group(1) : m.group(2);
            }
        }
        throw new IllegalStateException("no stats-id in sequence " + seq.name());
    }
}
