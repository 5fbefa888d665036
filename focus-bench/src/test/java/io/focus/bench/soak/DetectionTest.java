package io.focus.bench.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class DetectionTest {
    static final Instant T = Instant.parse("2026-12-04T22:50:00.000Z");

    /** Lines as the focus's log has them (logback, local time; here UTC). */
    static final List<String> LOG = List.of(
            "2026-12-04 22:49:58.100 WARN  [focus-bridges] i.f.h.r.BridgeRegistry: Bridge b1 "
                    + "(jvbbrewery@internal.auth.meet.test/b1) failed: an earlier fault",
            "2026-12-04 22:50:00.950 WARN  [focus-bridges] i.f.h.r.BridgeRegistry: Bridge b2 "
                    + "(jvbbrewery@internal.auth.meet.test/b2) is suspect (health_timeout): health check unanswered",
            "2026-12-04 22:50:01.250 WARN  [focus-bridges] i.f.h.r.BridgeRegistry: Bridge b1 "
                    + "(jvbbrewery@internal.auth.meet.test/b1) failed: health check unanswered within 500 ms and a probe",
            "2026-12-04 22:50:02.000 WARN  [focus-bridges] i.f.h.r.BridgeRegistry: Bridge b1 "
                    + "(jvbbrewery@internal.auth.meet.test/b1) failed: a later one",
            "2026-12-04 22:50:00.400 INFO  [focus-bridges] i.f.h.r.BridgeRegistry: Removed bridge b3 "
                    + "(jvbbrewery@internal.auth.meet.test/b3) (lost a bridge): left the brewery");

    @Test
    void eachFaultIsMatchedWithTheFirstLineThatTookItsBridgeOutOfUseAfterIt() {
        List<Detection.Seen> seen = Detection.match(List.of(
                new Detection.Fault("b1", "hang", T),
                new Detection.Fault("b3", "crash", T),
                new Detection.Fault("b2", "health-flap", T),
                new Detection.Fault("b4", "graceful shutdown", T)), LOG, ZoneOffset.UTC);
        assertEquals(3, seen.size(), "a graceful shutdown is announced, not detected");
        assertEquals(Duration.ofMillis(1250), seen.get(0).after());
        assertEquals("failed: health check unanswered within 500 ms and a probe", seen.get(0).line());
        assertEquals(Duration.ofMillis(400), seen.get(1).after());
        assertEquals("removed (lost a bridge): left the brewery", seen.get(1).line());
        assertNull(seen.get(2).after(), "suspect is not out of use: the flap was not seen");
        assertEquals("health-flap of b2: not seen", seen.get(2).toString());
    }

    @Test
    void theLogsZoneIsTheFocussOwn() {
        List<Detection.Seen> seen = Detection.match(List.of(new Detection.Fault("b3", "crash", T)), LOG,
                ZoneOffset.ofHours(1));
        assertNull(seen.get(0).after(), "read as 21:50 UTC, the removal is an hour before the fault");
    }
}
