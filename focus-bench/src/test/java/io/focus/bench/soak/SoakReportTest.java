package io.focus.bench.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SoakReportTest {

    private static ParticipantTrack.Over over(double at, double ms, String why) {
        return new ParticipantTrack.Over(at, ms, why);
    }

    @Test
    void intervalsOverTheGoalAreGroupedByWhenTheyStartedBiggestGroupFirst() {
        List<String> lines = SoakReport.overByStart(List.of(
                over(300.2, 3_100, "c2p1: its bridge b4 is HUNG"),
                over(91.7, 3_500, "c1p1: its bridge b3 is HUNG"),
                over(91.9, 4_200, "c1p2: its bridge b5 is HUNG"),
                over(93.6, 3_050, "c1p3: its bridge b5 is HUNG"),
                // more than 2 s after the group's first start (91.7): a group of its own
                over(93.8, 3_300, "c3p1: its bridge b2 is HUNG")));
        assertEquals(List.of(
                "from +91.7 s: 3 interval(s), worst 4200 ms (c1p2: its bridge b5 is HUNG)",
                "from +93.8 s: 1 interval(s), worst 3300 ms (c3p1: its bridge b2 is HUNG)",
                "from +300.2 s: 1 interval(s), worst 3100 ms (c2p1: its bridge b4 is HUNG)"), lines);
    }

    @Test
    void noIntervalOverTheGoalNoGroup() {
        assertEquals(List.of(), SoakReport.overByStart(List.of()));
    }
}
