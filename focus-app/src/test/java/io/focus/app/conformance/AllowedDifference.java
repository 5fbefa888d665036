package io.focus.app.conformance;

/**
 * Every deliberate difference between what the focus sends and what the recorded Jicofo sent at the same step, with
 * why it is allowed. The tests name the constant where they apply it; nothing else is tolerated.
 */
enum AllowedDifference {
    TRACEPARENT("Jicofo adds <traceparent xmlns='jitsi:opentelemetry'> with all-zero ids (no tracer configured); the "
            + "focus has no tracing, and an all-zero trace context carries nothing a bridge or client uses"),
    FIRST_REPLY_READY("Jicofo answered the first conference requests ready='false' before its room existed; the focus "
            + "may create the room before answering and say ready='true' at once (the client then joins without "
            + "re-asking); the ready='true' replies are compared"),
    SOURCE_REMOVE_ON_LEAVE("the focus sends source-remove for a leaver's sources; Jicofo relied on the clients "
            + "dropping the leaver on their own (c-001..c-006); stale sources otherwise linger in a client that does not"),
    HEALTH_CHECK_TIMING("health checks run on the focus's own schedule (count and time differ per run); they are "
            + "answered and not compared"),
    SOURCES_IN_OFFER_OR_ADD("which of the others' sources go in a session-initiate and which in a later source-add "
            + "depends on who accepted first (timing); the sources each client ends up with (offer + adds - removes) "
            + "are compared instead, and the offer is compared without its sources"),
    SOURCE_ADD_BATCHING("the focus batches source changes within jingle.source-update-interval, so one source-add may "
            + "carry several participants' sources where Jicofo sent one per participant; the stanza form and the "
            + "sources each client ends up with are compared"),
    EQUAL_BRIDGE_CHOICE("with default selection and two bridges of equal (zero) stress, which one gets the "
            + "conference is arbitrary; in sequence a the bridge the focus chose is compared with Jicofo's jvb1"),
    COLIBRI_GROUPING("the focus may put several endpoints (or the conference create and an endpoint) into one "
            + "Colibri2 request where Jicofo sent one per endpoint; each endpoint/relay element and the conference "
            + "attributes are compared on their own");

    private final String why;

    AllowedDifference(String why) {
        this.why = why;
    }

    String why() {
        return why;
    }
}
