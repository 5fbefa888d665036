package io.focus.bench.soak;

import com.fasterxml.jackson.databind.JsonNode;
import io.focus.bench.e2e.FocusRest;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * What the focus thinks of each bridge, read from its REST API ({@code GET /bridges}) when {@link #refresh()} is
 * called: whether it is operational, suspect, in graceful shutdown or shutting down. The chaos keeps enough bridges
 * usable by this view; the sampler uses it to say whether a placement went to a bridge the focus itself distrusted.
 */
final class FocusView {
    /** One bridge as the focus lists it. */
    record Status(boolean operational, boolean suspect, Instant suspectSince, boolean graceful,
                  boolean shuttingDown) {
        boolean usable() {
            return operational && !suspect && !graceful && !shuttingDown;
        }

        @Override
        public String toString() {
            return (operational ? "operational" : "not operational")
                    + (suspect ? ", suspect" + (suspectSince == null ? "" : " since " + suspectSince) : "")
                    + (graceful ? ", graceful shutdown" : "") + (shuttingDown ? ", shutting down" : "");
        }
    }

    private final FocusRest rest;
    /** The bridges as last read and when ({@link System#nanoTime()}, 0 before the first answer): one write. */
    private record Read(Map<String, Status> bridges, long at) {}

    private volatile Read last = new Read(Map.of(), 0);

    FocusView(FocusRest rest) {
        this.rest = rest;
    }

    FocusRest rest() { return rest; }

    /** Reads {@code /bridges} again; false (and the last view kept) when the focus did not answer. */
    boolean refresh() {
        JsonNode n = rest.get("/bridges");
        if (n == null || !n.has("bridges")) {
            return false;
        }
        Map<String, Status> m = new HashMap<>();
        for (JsonNode b : n.get("bridges")) {
            String since = b.path("suspect-since").asText(null);
            m.put(b.get("nick").asText(), new Status(b.path("operational").asBoolean(), b.path("suspect").asBoolean(),
                    since == null || since.isEmpty() || since.equals("null") ? null : Instant.parse(since),
                    b.path("graceful-shutdown").asBoolean(), b.path("shutting-down").asBoolean()));
        }
        last = new Read(Map.copyOf(m), System.nanoTime());
        return true;
    }

    /** The bridge as last read, or null when the focus did not list it. */
    Status status(String nick) {
        return last.bridges().get(nick);
    }

    /** When the view was last read from the focus ({@link System#nanoTime()}), 0 before the first answer. */
    long readAt() {
        return last.at();
    }

    boolean usable(String nick) {
        Status s = last.bridges().get(nick);
        return s != null && s.usable();
    }
}
