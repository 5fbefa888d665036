package io.focus.selection.strategy;

import com.typesafe.config.Config;
import io.focus.core.bridge.BridgeState;
import io.focus.core.selection.BridgeSelectionStrategy;
import io.focus.core.selection.ConferenceLimits;
import io.focus.core.selection.Decision;
import io.focus.core.selection.Reason;
import io.focus.core.selection.SelectionRequest;
import io.focus.core.selection.StrategyProvider;
import io.focus.selection.SelectionSettings;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spreads a conference as wide as it can (Jicofo's {@code SplitBridgeSelectionStrategy}, meant for testing Octo):
 * the least loaded candidate the conference does not use yet; when it uses them all, its bridge with the fewest of
 * its participants (ties: lower stress, then snapshot order). Unlike Jicofo this does not force Octo on: with Octo
 * off the selector keeps a conference on its bridge, so only new conferences are spread.
 */
public final class SplitStrategy implements BridgeSelectionStrategy {
    public static final String NAME = "split";
    private static final Logger log = LoggerFactory.getLogger(SplitStrategy.class);

    static final Reason UNUSED = Reason.of("split: least loaded bridge the conference does not use yet");
    static final Reason FEWEST = Reason.of("split: the conference's bridge with the fewest of its participants");
    static final Reason NONE = Reason.of("split: no candidates");

    @Override public String name() { return NAME; }

    @Override
    public Decision select(List<BridgeState> candidates, SelectionRequest request, ConferenceLimits limits) {
        Picks is = new Picks(request, limits);
        BridgeState unused = Picks.leastLoaded(candidates, b -> !is.inConference(b));
        if (unused != null) {
            return Decision.of(unused, UNUSED);
        }
        Comparator<BridgeState> fewestOfItsParticipants = Comparator
                .comparingInt((BridgeState b) -> request.conferenceBridges().get(b.id()).participantCount())
                .thenComparing(Picks.BY_STRESS);
        BridgeState fewest = Picks.least(candidates, is::inConference, fewestOfItsParticipants);
        return fewest != null ? Decision.of(fewest, FEWEST) : Decision.none(NONE);
    }

    /** {@code split}, also Jicofo's {@code SplitBridgeSelectionStrategy}. */
    public static final class Provider implements StrategyProvider {
        @Override public String name() { return NAME; }
        @Override public Set<String> aliases() { return Set.of("SplitBridgeSelectionStrategy"); }
        @Override public BridgeSelectionStrategy create(Config config) {
            if (!SelectionSettings.from(config).octoEnabled()) {
                log.warn("The split strategy needs Octo but jicofo.octo.enabled=false: conferences stay on one bridge.");
            }
            return new SplitStrategy();
        }
    }
}
