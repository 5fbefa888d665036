package io.focus.bench;

/**
 * Prosody's Lua garbage collector for a bench's Prosody, by name: {@code default} (Prosody's own: incremental,
 * threshold 105, speed 500, so a new cycle starts once memory grew 5 %), {@code generational} (Lua 5.4), or
 * {@code incremental:THRESHOLD:SPEED}. Prosody reads it from the {@code gc} option of its global section.
 */
public final class ProsodyGc {
    public static final String USAGE = "default|generational|incremental:THRESHOLD:SPEED";

    private ProsodyGc() { }

    /** The global-section Lua line for {@code mode}, empty for Prosody's default; refuses a mode it does not know. */
    public static String config(String mode) {
        if (mode.equals("default")) {
            return "";
        }
        if (mode.equals("generational")) {
            return "gc = { mode = \"generational\" }";
        }
        String[] p = mode.split(":");
        if (p.length == 3 && p[0].equals("incremental") && p[1].matches("\\d{2,4}") && p[2].matches("\\d{2,4}")) {
            return "gc = { mode = \"incremental\"; threshold = " + p[1] + "; speed = " + p[2] + " }";
        }
        throw new IllegalArgumentException("Prosody GC " + mode + ": expected " + USAGE
                + " (e.g. incremental:400:250)");
    }
}
