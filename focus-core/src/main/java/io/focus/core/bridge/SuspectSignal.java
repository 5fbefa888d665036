package io.focus.core.bridge;


import java.util.Locale;

/** What made a bridge suspect (see {@code SuspectSettings}). */
public enum SuspectSignal {
    /** A Colibri2 request to it was unanswered past {@code colibri-deadline}. */
    COLIBRI_DEADLINE,
    /** A health check to it was unanswered past its timeout. */
    HEALTH_TIMEOUT,
    /** Several distinct participants on it reported ICE failure or asked for a restart. */
    ICE_FAILURES,
    /** Its stats (presence) are overdue. */
    STATS_OVERDUE;

    /** The label used in metrics. */
    public String label() { return name().toLowerCase(Locale.ROOT); }
}
