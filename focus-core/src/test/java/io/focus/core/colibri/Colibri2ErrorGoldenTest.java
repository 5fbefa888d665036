package io.focus.core.colibri;

import io.focus.core.testing.RequiresRecordings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focus.core.colibri.Colibri2Errors.AllocationOutcome;
import io.focus.core.testing.Fixtures;
import io.focus.core.providers.FocusProviders;
import io.focus.core.xmpp.HealthCheckIQ;
import org.jivesoftware.smack.packet.EmptyResultIQ;
import org.jivesoftware.smack.packet.ErrorIQ;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import io.focus.core.testing.Stanzas;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bridge and Prosody error replies: reason, condition and the allocation-error table (reference §5). */
@RequiresRecordings
class Colibri2ErrorGoldenTest {
    @BeforeAll
    static void providers() {
        FocusProviders.registerAll();
    }

    static IQ parse(String fixture) throws Exception {
        return assertInstanceOf(IQ.class, Stanzas.fixture(fixture));
    }

    @Test
    void conferenceNotFound() throws Exception {
        IQ r = parse("colibri2-error-conference-not-found.delivered.xml");
        assertEquals(IQ.Type.error, r.getType());
        assertEquals(Colibri2Error.Reason.CONFERENCE_NOT_FOUND, Colibri2Errors.reasonOf(r));
        assertEquals(StanzaError.Condition.item_not_found, Colibri2Errors.conditionOf(r));
        assertEquals(AllocationOutcome.CONFERENCE_NOT_FOUND, Colibri2Errors.classifyAllocation(r));
        assertTrue(Colibri2Errors.classifyAllocation(r).removeBridge);
        assertFalse(Colibri2Errors.classifyAllocation(r).markNonOperational);
        // the echo of our request is readable
        ConferenceModifyIQ echo = assertInstanceOf(ConferenceModifyIQ.class, r);
        assertEquals("ee698703-2bd4-40b5-ad0d-6a6c5668506e", echo.meetingId());
        assertTrue(Colibri2Errors.textOf(r).startsWith("Conference not found for ID"), Colibri2Errors.textOf(r));
    }

    @Test
    void conferenceNotFoundToObserverAndOnTracedExpire() throws Exception {
        assertEquals(Colibri2Error.Reason.CONFERENCE_NOT_FOUND,
                Colibri2Errors.reasonOf(parse("colibri2-error-conference-not-found-observer.delivered.xml")));
        IQ traced = parse("colibri2-expire-conference-traced-response.delivered.xml");
        assertEquals(Colibri2Error.Reason.CONFERENCE_NOT_FOUND, Colibri2Errors.reasonOf(traced));
        assertTrue(assertInstanceOf(ConferenceModifyIQ.class, traced).expire());
    }

    @Test
    void conferenceAlreadyExists() throws Exception {
        IQ r = parse("colibri2-error-conference-already-exists.delivered.xml");
        assertEquals(Colibri2Error.Reason.CONFERENCE_ALREADY_EXISTS, Colibri2Errors.reasonOf(r));
        assertEquals(StanzaError.Condition.conflict, Colibri2Errors.conditionOf(r));
        assertEquals(AllocationOutcome.CONFLICT, Colibri2Errors.classifyAllocation(r));
        assertEquals("fixture1@conference.meet.test", ((ConferenceModifyIQ) r).conferenceName());
    }

    @Test
    void gracefulShutdown() throws Exception {
        IQ r = parse("colibri2-error-graceful-shutdown.delivered.xml");
        assertEquals(Colibri2Error.Reason.GRACEFUL_SHUTDOWN, Colibri2Errors.reasonOf(r));
        AllocationOutcome o = Colibri2Errors.classifyAllocation(r);
        assertEquals(AllocationOutcome.GRACEFUL_SHUTDOWN, o);
        assertTrue(o.markGracefulShutdown);
        assertTrue(o.removeBridge);
        assertFalse(o.markNonOperational);
        assertEquals("In graceful shutdown", Colibri2Errors.textOf(r));
    }

    @Test
    void sctpNotConfiguredHasNoColibri2Reason() throws Exception {
        IQ r = parse("colibri2-error-sctp-not-configured.delivered.xml");
        assertNull(Colibri2Errors.reasonOf(r));
        assertEquals(StanzaError.Condition.feature_not_implemented, Colibri2Errors.conditionOf(r));
        AllocationOutcome o = Colibri2Errors.classifyAllocation(r);
        assertEquals(AllocationOutcome.OTHER_ERROR, o);
        assertTrue(o.markNonOperational);
    }

    @Test
    void prosodyBridgeGoneIsItemNotFoundWithoutReason() throws Exception {
        IQ r = parse("prosody-error-bridge-gone.xml");
        assertInstanceOf(ErrorIQ.class, r);
        assertNull(Colibri2Errors.reasonOf(r));
        AllocationOutcome o = Colibri2Errors.classifyAllocation(r);
        assertEquals(AllocationOutcome.ITEM_NOT_FOUND, o);
        assertFalse(o.removeBridge);
        assertEquals("Recipient not in room", Colibri2Errors.textOf(r));
    }

    @Test
    void timeoutAndWrongType() throws Exception {
        assertEquals(AllocationOutcome.TIMEOUT, Colibri2Errors.classifyAllocation(null));
        assertTrue(AllocationOutcome.TIMEOUT.markNonOperational);
        IQ empty = parse("healthcheck-result.delivered.xml");
        assertInstanceOf(EmptyResultIQ.class, empty);
        assertEquals(AllocationOutcome.WRONG_RESPONSE_TYPE, Colibri2Errors.classifyAllocation(empty));
        assertEquals(AllocationOutcome.WRONG_RESPONSE_TYPE, Colibri2Errors.classifyAllocation(new HealthCheckIQ()));
    }

    @Test
    void reasonsFromTheWire() {
        assertEquals(Colibri2Error.Reason.UNKNOWN_ENDPOINT, Colibri2Error.Reason.fromWire("unknown_endpoint"));
        assertEquals(Colibri2Error.Reason.UNSPECIFIED, Colibri2Error.Reason.fromWire("UNSPECIFIED"));
        assertEquals(Colibri2Error.Reason.FEATURE_NOT_IMPLEMENTED,
                Colibri2Error.Reason.fromWire("feature_not_implemented"));
        assertEquals(Colibri2Error.Reason.UNKNOWN, Colibri2Error.Reason.fromWire("conference_not_fou"));
        assertEquals(Colibri2Error.Reason.UNKNOWN, Colibri2Error.Reason.fromWire(null));
        assertEquals("graceful_shutdown", Colibri2Error.Reason.GRACEFUL_SHUTDOWN.wireValue());
    }

    @Test
    void unknownAndMissingReasonsParseAsUnknown() throws Exception {
        String tpl = "<iq type='error' id='x1' from='b@c/d' to='f@g/h'><error type='cancel'><item-not-found "
                + "xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/><error xmlns='jitsi:colibri2' %s/></error></iq>";
        IQ truncated = assertInstanceOf(IQ.class, Stanzas.parse(tpl.formatted("reason='conference_n'")));
        assertEquals(Colibri2Error.Reason.UNKNOWN, Colibri2Errors.reasonOf(truncated));
        assertEquals("conference_n", Colibri2Errors.colibri2ErrorOf(truncated).rawReason());
        assertEquals(AllocationOutcome.ITEM_NOT_FOUND, Colibri2Errors.classifyAllocation(truncated));
        IQ missing = assertInstanceOf(IQ.class, Stanzas.parse(tpl.formatted("")));
        assertEquals(Colibri2Error.Reason.UNKNOWN, Colibri2Errors.reasonOf(missing));
    }

    @Test
    void unknownEndpointNamesTheEndpoint() throws Exception {
        String xml = "<iq type='error' id='x2' from='b@c/d' to='f@g/h'><error type='cancel'><item-not-found "
                + "xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/><error xmlns='jitsi:colibri2' "
                + "reason='unknown_endpoint'/></error><conference-modify xmlns='jitsi:colibri2' meeting-id='m1'>"
                + "<endpoint id='ab12'/></conference-modify></iq>";
        IQ r = assertInstanceOf(IQ.class, Stanzas.parse(xml));
        assertEquals("ab12", Colibri2Errors.unknownEndpointId(r));
        assertNull(Colibri2Errors.unknownEndpointId(parse("colibri2-error-conference-not-found.delivered.xml")));
    }

    @Test
    void badRequestFailsOnlyTheParticipant() throws Exception {
        String xml = "<iq type='error' id='x3' from='b@c/d' to='f@g/h'><error type='modify'><bad-request "
                + "xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>";
        AllocationOutcome o = Colibri2Errors.classifyAllocation(
                assertInstanceOf(IQ.class, Stanzas.parse(xml)));
        assertEquals(AllocationOutcome.BAD_REQUEST, o);
        assertTrue(o.participantFails);
        assertFalse(o.removeBridge);
    }
}
