package io.focus.core.xmpp;

import io.focus.core.providers.FocusProviders;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.focus.core.testing.Stanzas;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConferenceIqTest {
    /**
     * Found by XmppFuzzE2ETest: a property with a name and no value parsed as a null value, and the conference
     * manager's copy of the properties threw, so the client got internal-server-error for its own bad input. Such a
     * property is skipped and counted, as one without a name is.
     */
    @Test
    void aPropertyWithoutAValueIsSkippedAndCounted() throws Exception {
        FocusProviders.registerAll();
        ConferenceIq iq = assertInstanceOf(ConferenceIq.class, Stanzas.parse("<iq type='set' id='c'><conference "
                + "xmlns='http://jitsi.org/protocol/focus' room='r@conference.meet.test'><property name='novalue'/>"
                + "<property name='empty' value=''/><property value='noname'/><property name='ok' value='1'/>"
                + "</conference></iq>"));
        assertEquals(Map.of("empty", "", "ok", "1"), iq.properties());
        assertEquals(2, iq.malformedProperties());
        assertEquals(iq.properties(), Map.copyOf(iq.properties()), "no null anywhere");
    }
}
