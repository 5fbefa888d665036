package io.focus.core.bridge;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BridgeStatsTest {
    @Test
    void typedAccessorsParseWhatTheBridgeSends() {
        BridgeStats s = new BridgeStats(Map.of("stress_level", "0.12", "drain", "false", "region", "us-east",
                "version", "2.3.0", "release", "a29d97d", "healthy", "TRUE"));
        assertEquals(0.12, s.stressLevel(), 1e-9);
        assertEquals(Boolean.FALSE, s.drain());
        assertEquals(Boolean.TRUE, s.healthy());
        assertEquals("us-east", s.region());
        assertEquals("2.3.0-a29d97d", s.fullVersion());
        assertNull(s.relayId());
    }

    @Test
    void garbageIsNullAndFlaggedButAbsentIsNotFlagged() {
        BridgeStats s = new BridgeStats(Map.of("stress_level", "lots", "drain", "maybe", "average_participant_stress", "NaN"));
        assertNull(s.stressLevel());
        assertTrue(s.unparseable("stress_level"));
        assertTrue(s.unparseable("drain"));
        assertTrue(s.unparseable("average_participant_stress"));
        assertFalse(s.unparseable("graceful_shutdown"));
        assertNull(s.gracefulShutdown());
    }

    @Test
    void correctedStressAddsRampUp() {
        BridgeState b = BridgeState.builder("jvbbrewery@internal.auth.meet.test/jvb1")
                .reportedStress(0.3).averageParticipantStress(0.01).recentlyAddedEndpoints(5).build();
        assertEquals(0.35, b.correctedStress(), 1e-9);
        assertEquals("jvb1", b.nick());
    }
}
