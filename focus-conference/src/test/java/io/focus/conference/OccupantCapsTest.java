package io.focus.conference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.focus.core.testing.Fixtures;
import io.focus.core.testing.RequiresRecordings;
import io.focus.core.testing.Stanzas;
import io.focus.core.providers.FocusProviders;
import org.jivesoftware.smack.packet.Presence;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The entity capabilities node of a participant's presence, which the focus's disco#info asks about (a-019). */
class OccupantCapsTest {
    @BeforeAll
    static void providers() {
        FocusProviders.registerAll();
    }

    @Test
    @RequiresRecordings
    void aRealClientsJoinPresenceGivesJicofosDiscoNode() throws Exception {
        Presence join = Stanzas.parse(Fixtures.realCall("a-013-client2-to-room-room-join.delivered.xml"));
        Occupant o = MucConferenceRoom.occupant(join, "286e2f37");
        assertEquals("https://jitsi.org/jitsi-meet#dtzK/3xhISaXUMVg59IpXxdvKyQ=", o.capsNode());
        assertEquals("Kathryne-SUU", o.statsId());
    }

    @Test
    void aPresenceWithoutCapsOrWithoutItsVerHasNoNode() throws Exception {
        Presence none = Stanzas.parse("<presence from='r@conference.meet.test/ab12cd34' to='focus@auth.meet.test/f'>"
                + "<stats-id>S</stats-id></presence>");
        assertNull(MucConferenceRoom.occupant(none, "ab12cd34").capsNode());
        Presence noVer = Stanzas.parse("<presence from='r@conference.meet.test/ab12cd34' to='focus@auth.meet.test/f'>"
                + "<c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='https://jitsi.org/jitsi-meet'/>"
                + "</presence>");
        assertNull(MucConferenceRoom.occupant(noVer, "ab12cd34").capsNode());
    }
}
