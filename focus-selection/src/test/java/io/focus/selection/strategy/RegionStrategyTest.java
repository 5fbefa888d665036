package io.focus.selection.strategy;

import static io.focus.selection.Sel.*;

import io.focus.core.bridge.BridgeState;
import io.focus.selection.Sel.Case;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * After Jicofo's RegionBasedSelectionTest, BridgeSelectionStrategyTest, MaxParticipantsPerIntervalTest and
 * BridgeReleaseTest: Low (0.0), Medium (0.3) and High (0.9, overloaded) bridges in five regions, max 10 per
 * conference per bridge, Octo on.
 */
class RegionStrategyTest {
    private static final String BASE = "jicofo.octo.enabled = true\n"
            + "jicofo.bridge.selection-strategy = RegionBasedBridgeSelectionStrategy\n"
            + "jicofo.bridge.max-bridge-participants = 10\n";
    private static final String GROUPS = "jicofo.bridge.region-groups = [[us-east, us-west], [eu-central, eu-west]]\n"
            + "jicofo.local-region = us-east\n";
    private static final String[] REGIONS = {"ap-south", "eu-central", "eu-west", "us-east", "us-west"};

    static BridgeState[] regions(String... skip) {
        List<BridgeState> all = new ArrayList<>();
        outer:
        for (String r : REGIONS) {
            for (String s : skip) if (s.equals(r)) continue outer;
            all.add(b(r + "-low", 0.0, r));
            all.add(b(r + "-medium", 0.3, r));
            all.add(b(r + "-high", 0.9, r));
        }
        return all.toArray(BridgeState[]::new);
    }

    static BridgeState[] usEast() { return regions("ap-south", "eu-central", "eu-west", "us-west"); }

    static Stream<Case> rows() {
        return Stream.of(
            // one region
            c("one region: Low first").bridges(usEast()).region("us-east").expect("us-east-low", "not loaded, in region"),
            c("one region: stay on the conference's Medium").bridges(usEast()).region("us-east").on("us-east-medium", 3)
                .expect("us-east-medium", "in conference, in region"),
            c("one region: conference bridge at max, the other bridge").bridges(usEast()).region("us-east")
                .on("us-east-medium", 10).expect("us-east-low", "not loaded, in region"),
            c("one region: two conference bridges, the least loaded").bridges(usEast())
                .on("us-east-medium", 3).on("us-east-low", 3).expect("us-east-low", "not loaded, in conference"),
            // multi-region
            c("null region: the least loaded conference bridge").bridges(regions())
                .on("eu-west-medium", 2).on("us-east-low", 2).expect("us-east-low", "not loaded, in conference"),
            c("eu-west: the conference's eu-west Medium").bridges(regions()).region("eu-west")
                .on("us-east-low", 2).on("eu-west-medium", 2).expect("eu-west-medium", "in conference, in region"),
            c("eu-central: a new eu-central Low").bridges(regions()).region("eu-central").on("eu-west-medium", 2)
                .expect("eu-central-low", "not loaded, in region"),
            c("eu-central: Medium when Low is full").bridges(regions()).region("eu-central")
                .on("eu-central-low", 10).on("us-east-medium", 2).expect("eu-central-medium", "not loaded, in region"),
            c("only an overloaded bridge in the region: the conference's bridge")
                .bridges(b("ap-south-high", 0.9, "ap-south"), b("eu-west-medium", 0.3, "eu-west"), b("us-east-low", 0.0, "us-east"))
                .region("ap-south").on("eu-west-medium", 1).expect("eu-west-medium", "not loaded, in conference"),
            // with groups and a local region
            c("groups: eu-west without eu-west bridges gets eu-central Low").config(GROUPS).bridges(regions("eu-west"))
                .region("eu-west").on("us-east-low", 2).expect("eu-central-low", "not loaded, in region group"),
            c("groups: full eu-central, the conference's eu-west Medium").config(GROUPS).bridges(regions())
                .region("eu-central").on("eu-central-low", 10).on("eu-west-medium", 2)
                .expect("eu-west-medium", "in conference, in region group"),
            c("local (a): us-west starting a conference gets us-east Low").config(GROUPS).bridges(regions())
                .region("us-west").expect("us-east-low", "not loaded, in region"),
            c("local (a) only for a new conference").config(GROUPS).bridges(regions())
                .region("us-west").on("eu-west-medium", 1).expect("us-west-low", "not loaded, in region"),
            c("groups: a conference bridge in the group beats a new one in the region").config(GROUPS).bridges(regions())
                .region("us-west").on("us-east-medium", 1).expect("us-east-medium", "in conference, in region group"),
            c("local (a) not outside the local group").config(GROUPS).bridges(regions()).region("eu-west")
                .expect("eu-west-low", "not loaded, in region"),
            c("local (b): a region without bridges uses local").config(GROUPS).bridges(regions("ap-south"))
                .region("ap-south").on("eu-west-low", 1).expect("us-east-low", "not loaded, in region"),
            c("local: no participant region is local").config(GROUPS).bridges(regions()).expect("us-east-low", "in region"),
            // BridgeSelectionStrategyTest: preferLowestStress, local region = eu
            c("lowest stress when the region's bridge is overloaded").config("jicofo.local-region = eu")
                .bridges(b("us1", 0.1, "us"), b("eu1", 0.3, "eu"), b("ap1", 0.8, "ap")).region("ap")
                .expect("us1", "region: not overloaded"),
            c("region wins while not overloaded").config("jicofo.local-region = eu")
                .bridges(b("us1", 0.25, "us"), b("eu1", 0.3, "eu"), b("ap1", 0.8, "ap")).region("eu")
                .expect("eu1", "not loaded, in region"),
            c("unknown region: the local bridge").config("jicofo.local-region = eu")
                .bridges(b("us1", 0.1, "us"), b("eu1", 0.3, "eu")).region("xx").expect("eu1", "in region"),
            // MaxParticipantsPerIntervalTest (limit 10)
            c("per interval off: no effect").bridges(b("jvb1", 0.1), b("jvb2", 0.0)).on("jvb1", 20 - 15, 15)
                .expect("jvb1", "in conference"),
            c("per interval: 9 recent keeps the bridge").config("jicofo.bridge.max-bridge-participants-per-interval = 10")
                .bridges(b("jvb1", 0.1), b("jvb2", 0.0)).on("jvb1", 9, 9).expect("jvb1", "in conference"),
            c("per interval: 10 recent, another conference bridge first")
                .config("jicofo.bridge.max-bridge-participants-per-interval = 10")
                .bridges(b("jvb1", 0.1), b("jvb2", 0.0), b("jvb3", 0.2)).on("jvb1", 10, 10).on("jvb3", 1, 1)
                .expect("jvb3", "not loaded, in conference"),
            c("per interval: all conference bridges limited, the least loaded")
                .config("jicofo.bridge.max-bridge-participants-per-interval = 10")
                .bridges(b("jvb1", 0.1), b("jvb2", 0.05), b("jvb3", 0.2)).on("jvb1", 10, 10).on("jvb3", 10, 10)
                .expect("jvb2", "not overloaded"),
            c("per interval: initial pick unaffected").config("jicofo.bridge.max-bridge-participants-per-interval = 10")
                .bridges(b("jvb1", 0.1), b("jvb2", 0.2)).expect("jvb1", null),
            c("every bridge overloaded: a conference bridge is still returned")
                .config("jicofo.bridge.max-bridge-participants-per-interval = 10")
                .bridges(b("jvb1", 0.95), b("jvb2", 0.9)).on("jvb1", 3, 3).expect("jvb1", "relaxed overloaded"));
    }

    @ParameterizedTest(name = "{0}") @MethodSource("rows")
    void region(Case row) { check(BASE, row); }

    static final String OLD = "2.1-1", NEW = "2.2-1";
    static final String RELEASE = "jicofo.octo.enabled = true\njicofo.bridge.selection-strategy = region\n"
            + "jicofo.bridge.max-bridge-participants = 80\n";

    static BridgeState[] oldOnly() { return new BridgeState[] {version(b("old1", 0.1), OLD), version(b("old2", 0.2), OLD)}; }

    static BridgeState[] withNew(boolean newDrained) {
        BridgeState o1 = version(b("old1", 0.1), OLD), o2 = version(b("old2", 0.2), OLD);
        BridgeState n1 = version(b("new1", 0.0), NEW), n2 = version(b("new2", 0.05), NEW);
        return newDrained ? new BridgeState[] {o1, o2, draining(n1), draining(n2)}
                : new BridgeState[] {draining(o1), draining(o2), n1, n2};
    }

    /** BridgeReleaseTest: a rolling upgrade. */
    static Stream<Case> release() {
        return Stream.of(
            c("old only: least loaded").bridges(oldOnly()).expect("old1", null),
            c("old only: keep the conference's bridge").bridges(oldOnly()).on("old2", 5).expect("old2", "in conference"),
            c("old only: a bad pin finds nothing").bridges(oldOnly()).pin("9.9-9").expect(null, "version removed 2"),
            c("old only: full, the next").bridges(oldOnly()).on("old1", 80).expect("old2", null),
            c("old only: all full, the least loaded").bridges(oldOnly()).on("old1", 80).on("old2", 80)
                .expect("old1", "relaxed caps"),
            c("new added drained: new conferences still go to old1").bridges(withNew(true)).expect("old1", "draining removed 2"),
            c("new added drained: pinned conferences use them").bridges(withNew(true)).pin(NEW)
                .expect("new1", "relaxed draining"),
            c("new added drained: pinned, max honoured").bridges(withNew(true)).pin(NEW).on("new1", 80)
                .expect("new2", null),
            c("swapped: new conferences go to new").bridges(withNew(false)).expect("new1", "draining removed 2"),
            c("swapped: old conferences stay on old").bridges(withNew(false)).on("old1", 5)
                .expect("old1", "version removed 2"),
            c("swapped: old2 when old1 is full").bridges(withNew(false)).on("old1", 80).expect("old2", "relaxed draining"));
    }

    @ParameterizedTest(name = "{0}") @MethodSource("release")
    void release(Case row) { check(RELEASE, row); }
}
