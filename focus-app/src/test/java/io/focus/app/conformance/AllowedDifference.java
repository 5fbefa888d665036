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
    SOURCES_KEPT_DURING_MOVE("at a move the focus does not send source-remove for a moving participant's sources "
            + "(Jicofo did, d-011, d-012, d-016): the others keep them, and the new offers carry the others' sources "
            + "(Jicofo's d-028 carried only the bridge's); when a mover's new session-accept brings new SSRCs (real "
            + "clients do, d-011 vs d-030), each other participant then gets one source-remove of the old and one "
            + "source-add of the new ones; the sources each client ends up with are compared with Jicofo's"),
    NO_EXPIRE_TO_DEPARTED_BRIDGE("the focus sends nothing to a bridge that has left the brewery (FailoverTrigger."
            + "BRIDGE_LEFT: not reachable, nothing expired); Jicofo sent it a conference expire (d-008), which never reached it: the "
            + "brewery answered item-not-found, 'Recipient not in room' (d-009); checked: nothing went to it"),
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
