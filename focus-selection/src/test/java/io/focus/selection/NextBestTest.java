package io.focus.selection;

import static io.focus.selection.Sel.b;
import static io.focus.selection.Sel.c;
import static io.focus.selection.Sel.conferences;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * When the bridge a strategy would take is excluded or is one of the conference's own (capped) bridges, the next
 * best (of the region, or anywhere) is taken; ties go to the earlier bridge in snapshot order. Through the selector.
 */
class NextBestTest {
    private static final String OCTO = "jicofo.octo.enabled = true";

    static Stream<Sel.Case> rows() {
        return Stream.of(
            c("least-stress: best in region excluded -> next in region")
                .config("jicofo.bridge.selection-strategy = least-stress")
                .bridges(b("us1", 0.05, "us-east"), b("eu1", 0.1, "eu-west"), b("eu2", 0.2, "eu-west"), b("eu3", 0.3, "eu-west"))
                .region("eu-west").exclude("eu1").expect("eu2", "least loaded in the participant's region"),
            c("least-stress: the region's two best excluded -> third")
                .config("jicofo.bridge.selection-strategy = least-stress")
                .bridges(b("us1", 0.05, "us-east"), b("eu1", 0.1, "eu-west"), b("eu2", 0.2, "eu-west"), b("eu3", 0.3, "eu-west"))
                .region("eu-west").exclude("eu2", "eu1").expect("eu3", "in the participant's region"),
            c("least-stress: whole region excluded -> best elsewhere, overall best excluded too")
                .config("jicofo.bridge.selection-strategy = least-stress")
                .bridges(b("us1", 0.05, "us-east"), b("us2", 0.15, "us-west"), b("eu1", 0.1, "eu-west"), b("ap1", 0.12, "ap"))
                .region("eu-west").exclude("eu1", "us1").expect("ap1", "none in the participant's region"),
            c("least-stress: best bridge is the conference's own (capped) -> next best in region")
                .config("jicofo.bridge.selection-strategy = least-stress\njicofo.bridge.max-bridge-participants = 10\n" + OCTO)
                .bridges(b("eu1", 0.1, "eu-west"), b("eu2", 0.2, "eu-west"), b("us1", 0.0, "us-east"))
                .on("eu1", 10).region("eu-west").expect("eu2", "least loaded in the participant's region"),
            c("least-stress: ties -> earlier in snapshot order, also after the best is excluded")
                .config("jicofo.bridge.selection-strategy = least-stress")
                .bridges(b("eu0", 0.3, "eu-west"), b("eu1", 0.1, "eu-west"), b("eu2", 0.1, "eu-west"), b("eu3", 0.1, "eu-west"))
                .region("eu-west").exclude("eu1").expect("eu2", "in the participant's region"),
            c("least-stress: tie on the overall best, none in region")
                .config("jicofo.bridge.selection-strategy = least-stress")
                .bridges(b("a", 0.3, "us-east"), b("b", 0.1, "ap"), b("c", 0.1, "us-west"), b("d", 0.1, "us-east"))
                .region("eu-west").exclude("b").expect("c", "none in the participant's region"),
            c("least-stress: every bridge overloaded, least loaded in region excluded")
                .config("jicofo.bridge.selection-strategy = least-stress")
                .bridges(b("eu1", 0.85, "eu-west"), b("eu2", 0.9, "eu-west"), b("us1", 0.81, "us-east"))
                .region("eu-west").exclude("eu1").expect("eu2", "over its limits, least loaded in region"),
            c("region: best in region excluded -> next in region before the group")
                .config("jicofo.bridge.selection-strategy = region\njicofo.bridge.region-groups = [[eu-west, eu-central]]")
                .bridges(b("euc", 0.0, "eu-central"), b("euw1", 0.1, "eu-west"), b("euw2", 0.4, "eu-west"))
                .region("eu-west").exclude("euw1").expect("euw2", "not loaded, in region"),
            c("region: region excluded -> best of the group, the group's best excluded too")
                .config("jicofo.bridge.selection-strategy = region\njicofo.bridge.region-groups = [[eu-west, eu-central, eu-north]]")
                .bridges(b("euc1", 0.1, "eu-central"), b("eun1", 0.3, "eu-north"), b("euc2", 0.2, "eu-central"),
                        b("us1", 0.0, "us-east"), b("euw1", 0.1, "eu-west"))
                .region("eu-west").exclude("euw1", "euc1").expect("euc2", "not loaded, in region group"),
            c("region: nothing within the limits, least stressed not-overloaded excluded")
                .config("jicofo.bridge.selection-strategy = region\nfocus.selection.max-conferences-per-bridge = 2")
                .bridges(conferences(b("a", 0.1, "us-east"), 2), conferences(b("b", 0.2, "us-east"), 2),
                        conferences(b("c", 0.9, "eu-west"), 2))
                .region("eu-west").exclude("a").expect("b", "not overloaded"),
            c("fewest-conferences: the fewest excluded -> next fewest")
                .config("jicofo.bridge.selection-strategy = fewest-conferences")
                .bridges(conferences(b("a", 0.1), 3), conferences(b("b", 0.5), 0), conferences(b("c", 0.4), 1), conferences(b("d", 0.0), 2))
                .exclude("b").expect("c", "fewest conferences"),
            c("fewest-conferences: tie on conferences -> less stress, then snapshot order")
                .config("jicofo.bridge.selection-strategy = fewest-conferences")
                .bridges(conferences(b("a", 0.3), 1), conferences(b("b", 0.2), 1), conferences(b("c", 0.2), 1), conferences(b("d", 0.2), 0))
                .exclude("d").expect("b", "fewest conferences"),
            c("fewest-conferences: tied best is the conference's own (capped) -> the next tied one")
                .config("jicofo.bridge.selection-strategy = fewest-conferences\njicofo.bridge.max-bridge-participants = 5\n" + OCTO)
                .bridges(conferences(b("a", 0.3), 1), conferences(b("b", 0.2), 1), conferences(b("c", 0.2), 1))
                .on("b", 5).expect("c", "fewest conferences"),
            c("split: the least loaded is the conference's own -> next least loaded, tie to the earlier")
                .config("jicofo.bridge.selection-strategy = split\n" + OCTO)
                .bridges(b("a", 0.3), b("b", 0.1), b("c", 0.2), b("d", 0.2))
                .on("b", 2).expect("c", "does not use yet"),
            c("intra-region: spill: the region's best excluded -> next in the conference's region")
                .config("jicofo.bridge.selection-strategy = intra-region\njicofo.bridge.max-bridge-participants = 4\n" + OCTO)
                .bridges(b("eu1", 0.5, "eu-west"), b("eu2", 0.1, "eu-west"), b("us1", 0.0, "us-east"), b("eu3", 0.2, "eu-west"))
                .on("eu1", 4).region("us-east").exclude("eu2").expect("eu3", "not loaded, in the conference's region"),
            c("round-robin: the first in turn excluded -> the next one")
                .config("jicofo.bridge.selection-strategy = round-robin")
                .bridges(b("a", 0.1), b("b", 0.1), b("c", 0.9), b("d", 0.1))
                .exclude("a").expect("b", "next in turn"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void theNextBestIsTakenWhenTheBestIsSkipped(Sel.Case row) {
        Sel.check("", row);
    }
}
