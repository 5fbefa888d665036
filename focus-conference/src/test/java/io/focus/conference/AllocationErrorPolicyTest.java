package io.focus.conference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.focus.core.bridge.BridgeState;
import io.focus.conference.AllocationErrorPolicy.Action;
import io.focus.conference.AllocationErrorPolicy.Decision;
import io.focus.conference.AllocationErrorPolicy.Fault;
import io.focus.conference.AllocationErrorPolicy.Feedback;
import io.focus.conference.AllocationErrorPolicy.Request;
import io.focus.core.testing.Fixtures;
import io.focus.core.testing.RequiresRecordings;
import io.focus.core.testing.Stanzas;
import io.focus.core.providers.FocusProviders;
import java.util.stream.Stream;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.packet.IQ;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every row of {@link AllocationErrorPolicy}'s table; the real JVB's error replies of real-call sequence e first. */
class AllocationErrorPolicyTest {
    static final BridgeState JVB1 = BridgeState.builder(FakeBridges.id("jvb-1")).build();

    @BeforeAll
    static void providers() {
        FocusProviders.registerAll();
    }

    /** A recorded error reply, parsed by our providers and mapped as the backend maps it. */
    static ColibriException recorded(String file) throws Exception {
        IQ iq = assertInstanceOf(IQ.class, Stanzas.parse(Fixtures.realCall(file)));
        assertEquals(IQ.Type.error, iq.getType());
        return XmppColibriBackend.map(JVB1, "test", new XMPPException.XMPPErrorException(iq, iq.getError()));
    }

    static Decision d(Fault f, Feedback fb, Action a) { return new Decision(f, fb, a); }

    // ---------------------------------------------------------------------------------------------------------
    // The real bridge's replies

    static final String SCTP_NOT_CONFIGURED =
            "e-002-jvb1-to-probe-colibri2-create-conference-endpoint-create-error.delivered.xml";
    static final String CONFERENCE_EXISTS =
            "e-004-jvb1-to-probe-colibri2-create-conference-endpoint-create-error.delivered.xml";
    static final String UNKNOWN_ENDPOINT = "e-008-jvb1-to-probe-colibri2-endpoint-update-error.delivered.xml";
    static final String CONFERENCE_NOT_FOUND = "e-010-jvb1-to-probe-colibri2-endpoint-update-error.delivered.xml";
    static final String EXPIRE_NOT_FOUND = "e-012-jvb1-to-probe-colibri2-expire-conference-error.delivered.xml";
    static final String ENDPOINT_EXISTS = "e-016-jvb1-to-probe-colibri2-endpoint-create-error.delivered.xml";

    /**
     * Each recorded reply as the backend maps it: its label, the bridge's own text and its metric label (null: not
     * checked).
     */
    static Stream<Arguments> recordedReplies() {
        return Stream.of(
                Arguments.of(SCTP_NOT_CONFIGURED, "feature-not-implemented", "SCTP support is not configured",
                        "feature-not-implemented"),
                Arguments.of(CONFERENCE_EXISTS, "conflict/conference_already_exists", null,
                        "conflict/conference_already_exists"),
                Arguments.of(UNKNOWN_ENDPOINT, "item-not-found/unknown_endpoint", "Endpoint not found for ID: nosuchep",
                        "item-not-found/unknown_endpoint"),
                Arguments.of(CONFERENCE_NOT_FOUND, "item-not-found/conference_not_found", null, null),
                Arguments.of(ENDPOINT_EXISTS, "conflict", "Endpoint with ID probeep2 already exists", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recordedReplies")
    @RequiresRecordings
    void theRealBridgesErrorRepliesAreReadWithTheirConditionAndText(String file, String label, String text,
                                                                     String conditionLabel) throws Exception {
        ColibriException ce = recorded(file);
        assertEquals(label, ce.label());
        if (text != null) {
            assertEquals(text, ce.getMessage(), "the bridge's own text reaches the log");
        }
        if (conditionLabel != null) {
            assertEquals(conditionLabel, AllocationErrorPolicy.conditionLabel(ce));
        }
    }

    /** What each recorded reply leads to, by request and whether SCTP was asked for. */
    static Stream<Arguments> recordedRows() {
        Decision moveAll = d(Fault.STATE, Feedback.RESTARTED, Action.MOVE_EVERYONE);
        return Stream.of(
                // SCTP not configured: retried without SCTP, and not the bridge's fault
                Arguments.of(SCTP_NOT_CONFIGURED, Request.ALLOCATE, true,
                        d(Fault.REQUEST, Feedback.NONE, Action.RETRY_WITHOUT_SCTP)),
                Arguments.of(SCTP_NOT_CONFIGURED, Request.ALLOCATE, false,
                        d(Fault.REQUEST, Feedback.NONE, Action.PARTICIPANT_ELSEWHERE)),
                Arguments.of(SCTP_NOT_CONFIGURED, Request.RELAY, true,
                        d(Fault.REQUEST, Feedback.NONE, Action.RETRY_RELAY_WITHOUT_SCTP)),
                Arguments.of(SCTP_NOT_CONFIGURED, Request.RELAY, false,
                        d(Fault.REQUEST, Feedback.NONE, Action.RETRY_RELAY)),
                Arguments.of(SCTP_NOT_CONFIGURED, Request.UPDATE, false,
                        d(Fault.REQUEST, Feedback.NONE, Action.RESTART_PARTICIPANT)),
                // the conference already exists: retried without create
                Arguments.of(CONFERENCE_EXISTS, Request.ALLOCATE, false,
                        d(Fault.REQUEST, Feedback.NONE, Action.RETRY_WITHOUT_CREATE)),
                Arguments.of(CONFERENCE_EXISTS, Request.RELAY, false,
                        d(Fault.REQUEST, Feedback.NONE, Action.RETRY_RELAY)),
                // an unknown endpoint on an update restarts only that participant
                Arguments.of(UNKNOWN_ENDPOINT, Request.UPDATE, false,
                        d(Fault.REQUEST, Feedback.NONE, Action.RESTART_PARTICIPANT)),
                // conference not found: the bridge lost the conference
                Arguments.of(CONFERENCE_NOT_FOUND, Request.UPDATE, false, moveAll),
                Arguments.of(CONFERENCE_NOT_FOUND, Request.ALLOCATE, false, moveAll),
                Arguments.of(CONFERENCE_NOT_FOUND, Request.RELAY, false, moveAll),
                Arguments.of(EXPIRE_NOT_FOUND, Request.UPDATE, false, moveAll),
                // the endpoint exists: expired and retried
                Arguments.of(ENDPOINT_EXISTS, Request.ALLOCATE, true,
                        d(Fault.REQUEST, Feedback.NONE, Action.EXPIRE_AND_RETRY)),
                Arguments.of(ENDPOINT_EXISTS, Request.UPDATE, false,
                        d(Fault.REQUEST, Feedback.NONE, Action.RESTART_PARTICIPANT)));
    }

    @ParameterizedTest(name = "{0}: {1} sctp={2}")
    @MethodSource("recordedRows")
    @RequiresRecordings
    void everyRecordedReplyIsDecidedAsTheTableSays(String file, Request request, boolean askedSctp, Decision expected)
            throws Exception {
        assertEquals(expected, AllocationErrorPolicy.decide(request, recorded(file), askedSctp));
    }

    // ---------------------------------------------------------------------------------------------------------
    // The other rows (no recorded reply for them)

    static ColibriException err(String condition, String reason) {
        return ColibriException.error(condition, reason, "text");
    }

    static Stream<Arguments> rows() {
        ColibriException timeout = ColibriException.timeout("no reply");
        ColibriException badResponse = ColibriException.badResponse("no transport");
        ColibriException notSent = ColibriException.notSent("not connected");
        ColibriException graceful = err("service-unavailable", ColibriException.GRACEFUL_SHUTDOWN);
        ColibriException unavailable = err("service-unavailable", null);
        ColibriException internal = err("internal-server-error", null);
        ColibriException mucGone = err("item-not-found", null);
        return Stream.of(
                // allocation
                Arguments.of(Request.ALLOCATE, timeout, false, d(Fault.BRIDGE, Feedback.FAILED, Action.MOVE_EVERYONE)),
                Arguments.of(Request.ALLOCATE, badResponse, false,
                        d(Fault.BRIDGE, Feedback.FAILED, Action.PARTICIPANT_ELSEWHERE)),
                Arguments.of(Request.ALLOCATE, notSent, false, d(Fault.STATE, Feedback.NONE, Action.RETRY_LATER)),
                Arguments.of(Request.ALLOCATE, err("feature-not-implemented", null), true,
                        d(Fault.REQUEST, Feedback.NONE, Action.RETRY_WITHOUT_SCTP)),
                Arguments.of(Request.ALLOCATE, err("feature-not-implemented", null), false,
                        d(Fault.REQUEST, Feedback.NONE, Action.PARTICIPANT_ELSEWHERE)),
                Arguments.of(Request.ALLOCATE, err("bad-request", null), true,
                        d(Fault.REQUEST, Feedback.NONE, Action.PARTICIPANT_ELSEWHERE)),
                Arguments.of(Request.ALLOCATE, err("not-acceptable", null), false,
                        d(Fault.REQUEST, Feedback.NONE, Action.PARTICIPANT_ELSEWHERE)),
                Arguments.of(Request.ALLOCATE, err("not-allowed", null), false,
                        d(Fault.REQUEST, Feedback.NONE, Action.PARTICIPANT_ELSEWHERE)),
                Arguments.of(Request.ALLOCATE, err("forbidden", null), false,
                        d(Fault.REQUEST, Feedback.NONE, Action.PARTICIPANT_ELSEWHERE)),
                Arguments.of(Request.ALLOCATE, err("conflict", ColibriException.CONFERENCE_ALREADY_EXISTS), false,
                        d(Fault.REQUEST, Feedback.NONE, Action.RETRY_WITHOUT_CREATE)),
                Arguments.of(Request.ALLOCATE, err("conflict", null), false,
                        d(Fault.REQUEST, Feedback.NONE, Action.EXPIRE_AND_RETRY)),
                Arguments.of(Request.ALLOCATE, err("item-not-found", ColibriException.CONFERENCE_NOT_FOUND), false,
                        d(Fault.STATE, Feedback.RESTARTED, Action.MOVE_EVERYONE)),
                Arguments.of(Request.ALLOCATE, mucGone, false, d(Fault.STATE, Feedback.NONE, Action.MOVE_EVERYONE)),
                Arguments.of(Request.ALLOCATE, graceful, false,
                        d(Fault.STATE, Feedback.GRACEFUL, Action.MOVE_EVERYONE)),
                Arguments.of(Request.ALLOCATE, unavailable, false,
                        d(Fault.BRIDGE, Feedback.FAILED, Action.MOVE_EVERYONE)),
                Arguments.of(Request.ALLOCATE, internal, false, d(Fault.BRIDGE, Feedback.FAILED, Action.MOVE_EVERYONE)),
                // endpoint update
                Arguments.of(Request.UPDATE, timeout, false, d(Fault.BRIDGE, Feedback.NONE, Action.LOG_ONLY)),
                Arguments.of(Request.UPDATE, badResponse, false, d(Fault.BRIDGE, Feedback.NONE, Action.LOG_ONLY)),
                Arguments.of(Request.UPDATE, notSent, false, d(Fault.STATE, Feedback.NONE, Action.LOG_ONLY)),
                Arguments.of(Request.UPDATE, err("item-not-found", ColibriException.CONFERENCE_NOT_FOUND), false,
                        d(Fault.STATE, Feedback.RESTARTED, Action.MOVE_EVERYONE)),
                Arguments.of(Request.UPDATE, err("item-not-found", ColibriException.UNKNOWN_ENDPOINT), false,
                        d(Fault.REQUEST, Feedback.NONE, Action.RESTART_PARTICIPANT)),
                Arguments.of(Request.UPDATE, err("bad-request", null), false,
                        d(Fault.REQUEST, Feedback.NONE, Action.RESTART_PARTICIPANT)),
                Arguments.of(Request.UPDATE, internal, false,
                        d(Fault.BRIDGE, Feedback.NONE, Action.RESTART_PARTICIPANT)),
                Arguments.of(Request.UPDATE, mucGone, false,
                        d(Fault.BRIDGE, Feedback.NONE, Action.RESTART_PARTICIPANT)),
                // relay
                Arguments.of(Request.RELAY, timeout, true, d(Fault.BRIDGE, Feedback.FAILED, Action.RETRY_RELAY)),
                Arguments.of(Request.RELAY, err("feature-not-implemented", null), true,
                        d(Fault.REQUEST, Feedback.NONE, Action.RETRY_RELAY_WITHOUT_SCTP)),
                Arguments.of(Request.RELAY, err("bad-request", null), true,
                        d(Fault.REQUEST, Feedback.NONE, Action.RETRY_RELAY)),
                Arguments.of(Request.RELAY, err("item-not-found", ColibriException.CONFERENCE_NOT_FOUND), false,
                        d(Fault.STATE, Feedback.RESTARTED, Action.MOVE_EVERYONE)),
                Arguments.of(Request.RELAY, graceful, false, d(Fault.STATE, Feedback.GRACEFUL, Action.RETRY_RELAY)),
                Arguments.of(Request.RELAY, badResponse, false, d(Fault.BRIDGE, Feedback.NONE, Action.RETRY_RELAY)),
                Arguments.of(Request.RELAY, notSent, false, d(Fault.STATE, Feedback.NONE, Action.RETRY_RELAY)),
                Arguments.of(Request.RELAY, internal, false, d(Fault.BRIDGE, Feedback.NONE, Action.RETRY_RELAY)),
                Arguments.of(Request.RELAY, mucGone, false, d(Fault.BRIDGE, Feedback.NONE, Action.RETRY_RELAY)));
    }

    @ParameterizedTest(name = "{0} {1} sctp={2}")
    @MethodSource("rows")
    void everyRowOfTheTable(Request request, ColibriException ce, boolean askedSctp, Decision expected) {
        assertEquals(expected, AllocationErrorPolicy.decide(request, ce, askedSctp));
    }

    @Test
    void conditionLabelsAreBounded() {
        assertEquals("other", AllocationErrorPolicy.conditionLabel(err("some-future-condition", "x")));
        assertEquals("timeout", AllocationErrorPolicy.conditionLabel(ColibriException.timeout("x")));
        assertEquals("not-sent", AllocationErrorPolicy.conditionLabel(ColibriException.notSent("x")));
        assertEquals("bad-request", AllocationErrorPolicy.conditionLabel(err("bad-request", null)));
        assertEquals("item-not-found", AllocationErrorPolicy.conditionLabel(err("item-not-found", "made_up_reason")));
        assertEquals("item-not-found/conference_not_found", AllocationErrorPolicy.conditionLabel(
                err("item-not-found", ColibriException.CONFERENCE_NOT_FOUND)));
        assertEquals("service-unavailable/graceful_shutdown", AllocationErrorPolicy.conditionLabel(
                err("service-unavailable", ColibriException.GRACEFUL_SHUTDOWN)));
    }
}
