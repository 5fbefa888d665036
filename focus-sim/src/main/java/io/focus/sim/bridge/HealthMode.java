package io.focus.sim.bridge;

/** How a simulated bridge answers health-check IQs. */
public enum HealthMode {
    /** empty IQ result */
    HEALTHY,
    /** IQ error {@code internal-server-error} with a text */
    FAILING,
    /** no answer at all */
    HUNG
}
