package io.focus.app.e2e;

import io.focus.app.e2e.HostileStanzas.Hostile;
import io.focus.app.e2e.HostileStanzas.Route;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jivesoftware.smack.StanzaListener;
import org.jivesoftware.smack.XMPPConnection;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Nonza;
import org.jivesoftware.smack.packet.XmlEnvironment;

/**
 * One hostile sender: writes its quota of {@link HostileStanzas} on one client connection (as raw XML, so nothing of
 * Smack's stands between the generator and the wire), at most {@code window} IQ requests unanswered at a time, and
 * collects the replies by id: every IQ get/set must get exactly one, of type result or error.
 */
final class FuzzSender {
    final String name;
    final XMPPConnection connection;
    final Route route;
    final String focusTo;
    final int quota;
    final int window;
    private final HostileStanzas generator;
    private final String prefix;

    private final Map<String, String> outstanding = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> replies = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> sentByKind = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicInteger malformedReplies = new AtomicInteger();
    private volatile Exception sendFailure;
    private final StanzaListener onReply = s -> onReply((IQ) s);

    FuzzSender(String name, XMPPConnection connection, Route route, String focusTo, HostileStanzas generator,
               int quota, int window) {
        this.name = name;
        this.connection = connection;
        this.route = route;
        this.focusTo = focusTo;
        this.generator = generator;
        this.quota = quota;
        this.window = window;
        this.prefix = "fz-" + name + "-";
        connection.addSyncStanzaListener(onReply, StanzaTypeFilter.IQ);
    }

    /** Sends the next stanza unless the quota is reached or the window is full. Called by one thread at a time. */
    void tick() {
        if (sent.get() >= quota || outstanding.size() >= window || sendFailure != null) {
            return;
        }
        Hostile h = generator.next(route, prefix + sent.get(), focusTo);
        if (h.request()) {
            outstanding.put(h.id(), h.kind());
            replies.put(h.id(), new AtomicInteger());
            requests.incrementAndGet();
        }
        try {
            connection.sendNonza(raw(h.xml()));
        } catch (Exception e) {
            sendFailure = e;
            return;
        }
        sent.incrementAndGet();
        bytes.addAndGet(h.xml().length());
        sentByKind.computeIfAbsent(h.kind(), k -> new AtomicInteger()).incrementAndGet();
    }

    private void onReply(IQ iq) {
        String id = iq.getStanzaId();
        if (id == null || !id.startsWith(prefix) || iq.isRequestIQ()) {
            return;
        }
        AtomicInteger n = replies.get(id);
        if (n == null) {
            return; // a reply to something that was no request of ours (the focus does not answer replies)
        }
        n.incrementAndGet();
        String kind = outstanding.remove(id);
        if (iq.getType() == IQ.Type.error && (iq.getError() == null || iq.getError().getCondition() == null)) {
            malformedReplies.incrementAndGet();
        }
        String answer = iq.getType() == IQ.Type.result ? "result" : iq.getError() == null ? "error without <error>"
                : iq.getError().getCondition().toString();
        answers.computeIfAbsent((kind == null ? "?" : kind) + " -> " + answer, k -> new AtomicInteger())
                .incrementAndGet();
    }

    private static Nonza raw(String xml) {
        return new Nonza() {
            @Override public String getNamespace() { return "jabber:client"; }
            @Override public String getElementName() { return "stanza"; }
            @Override public CharSequence toXML(XmlEnvironment env) { return xml; }
        };
    }

    boolean doneSending() { return sent.get() >= quota || sendFailure != null; }

    int sent() { return sent.get(); }

    int requests() { return requests.get(); }

    long bytes() { return bytes.get(); }

    int outstanding() { return outstanding.size(); }

    Exception sendFailure() { return sendFailure; }

    int malformedReplies() { return malformedReplies.get(); }

    /** Replies received for our requests, in all. */
    int replies() { return replies.values().stream().mapToInt(AtomicInteger::get).sum(); }

    /** Requests with no reply, as id → kind. */
    Map<String, String> missing() { return new TreeMap<>(outstanding); }

    /** Requests answered more than once, as id → count. */
    Map<String, Integer> duplicates() {
        Map<String, Integer> d = new TreeMap<>();
        replies.forEach((id, n) -> {
            if (n.get() > 1) {
                d.put(id, n.get());
            }
        });
        return d;
    }

    Map<String, Integer> sentByKind() { return snapshot(sentByKind); }

    /** "kind -> result" or "kind -> condition", counted. */
    Map<String, Integer> answers() { return snapshot(answers); }

    static Map<String, Integer> snapshot(Map<String, AtomicInteger> m) {
        Map<String, Integer> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    void close() {
        connection.removeSyncStanzaListener(onReply);
    }
}
