package io.focus.core.xmpp;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focus.core.testing.Fixtures;
import io.focus.core.testing.Stanzas;
import java.util.List;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.jivesoftware.smack.packet.StanzaError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A server's bounce for an unreachable bridge against the bridge's own Colibri2 errors, on recorded stanzas. */
class ServerBounceTest {
    @Test
    void theBreweryAnsweringForABridgeThatLeftIsABounce() throws Exception {
        IQ iq = Stanzas.parse(Fixtures.realCall("d-009-brewery-to-focus-colibri2-expire-conference-error.xml"));
        assertTrue(ServerBounce.isBounce(iq.getError()), iq.toXML().toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"colibri2-error-conference-not-found.delivered.xml",
            "colibri2-error-conference-not-found-observer.delivered.xml",
            "colibri2-error-graceful-shutdown.delivered.xml", "colibri2-error-conference-already-exists.delivered.xml",
            "colibri2-error-sctp-not-configured.delivered.xml"})
    void aRealBridgesColibri2ErrorIsItsOwnAnswer(String fixture) throws Exception {
        IQ iq = Stanzas.fixture(fixture);
        assertFalse(ServerBounce.isBounce(iq.getError()), iq.toXML().toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"e-008-jvb1-to-probe-colibri2-endpoint-update-error.delivered.xml",
            "e-012-jvb1-to-probe-colibri2-expire-conference-error.delivered.xml",
            "e-016-jvb1-to-probe-colibri2-endpoint-create-error.delivered.xml"})
    void theRecordedBridgeErrorsAreItsOwnAnswer(String fixture) throws Exception {
        IQ iq = Stanzas.parse(Fixtures.realCall(fixture));
        assertFalse(ServerBounce.isBounce(iq.getError()), iq.toXML().toString());
    }

    /** What Prosody 0.12's mod_smacks and mod_component write (no recording of them: built as they build them). */
    @Test
    void streamManagementAndComponentBouncesAreBounces() throws Exception {
        IQ smacks = Stanzas.parse("<iq type='error' from='jvbbrewery@internal.auth.meet.test/jvb1' "
                + "to='focus@auth.meet.test/focus' id='x1'><error type='cancel'><recipient-unavailable "
                + "xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>");
        assertTrue(ServerBounce.isBounce(smacks.getError()));
        IQ component = Stanzas.parse("<iq type='error' from='jvb.meet.test' to='focus@auth.meet.test/focus' id='x2'>"
                + "<error type='wait' by='jvb.meet.test'><remote-server-timeout "
                + "xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/><text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>"
                + "Component unavailable</text><not-connected xmlns='xmpp:prosody.im/protocol/component'/></error></iq>");
        assertTrue(ServerBounce.isBounce(component.getError()));
        StanzaError serviceUnavailable = StanzaError.getBuilder(StanzaError.Condition.service_unavailable)
                .setExtensions(List.of(StandardExtensionElement.builder(ServerBounce.NOT_CONNECTED,
                        ServerBounce.PROSODY_COMPONENT_NS).build())).build();
        assertTrue(ServerBounce.isBounce(serviceUnavailable), "service-unavailable with <not-connected/>");
        assertFalse(ServerBounce.isBounce(StanzaError.getBuilder(StanzaError.Condition.service_unavailable).build()),
                "a plain service-unavailable is the addressee's");
        assertFalse(ServerBounce.isBounce((StanzaError) null));
    }
}
