package io.focus.core.jingle;

import java.util.Locale;

/** The Jingle actions the focus sends or handles, with their wire names. */
public enum JingleAction {
    SESSION_INITIATE("session-initiate"),
    SESSION_ACCEPT("session-accept"),
    SESSION_TERMINATE("session-terminate"),
    SESSION_INFO("session-info"),
    SOURCE_ADD("source-add"),
    SOURCE_REMOVE("source-remove"),
    TRANSPORT_REPLACE("transport-replace"),
    TRANSPORT_ACCEPT("transport-accept"),
    TRANSPORT_REJECT("transport-reject"),
    TRANSPORT_INFO("transport-info"),
    /** Any other action (kept verbatim in {@link JingleIQ#actionName()}); answer it with feature-not-implemented. */
    UNKNOWN("");

    private final String wireName;

    JingleAction(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() { return wireName; }

    /** The action for a wire name, {@link #UNKNOWN} for anything else (never null). */
    public static JingleAction fromWire(String name) {
        if (name != null) {
            String n = name.trim().toLowerCase(Locale.ROOT);
            for (JingleAction a : values()) {
                if (a != UNKNOWN && a.wireName.equals(n)) {
                    return a;
                }
            }
        }
        return UNKNOWN;
    }
}
