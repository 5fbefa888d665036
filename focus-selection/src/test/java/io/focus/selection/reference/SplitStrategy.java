package io.focus.selection.reference;

import com.typesafe.config.Config;
import io.focus.core.bridge.BridgeState;
import io.focus.core.selection.BridgeSelectionStrategy;
import io.focus.core.selection.ConferenceBridgeProperties;
import io.focus.core.selection.ConferenceLimits;
import io.focus.core.selection.Decision;
import io.focus.core.selection.Reason;
import io.focus.core.selection.SelectionRequest;
import io.focus.core.selection.StrategyProvider;
import io.focus.selection.SelectionSettings;
import java.util.List;
import java.util.Map;
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

    @Override public String name() { return NAME; }

    @Override
    public Decision select(List<BridgeState> candidates, SelectionRequest request, ConferenceLimits limits) {
        Map<String, ConferenceBridgeProperties> conf = request.conferenceBridges();
        BridgeState unused = null, fewest = null;
        int fewestCount = Integer.MAX_VALUE;
        for (int i = 0, n = candidates.size(); i < n; i++) {
            BridgeState b = candidates.get(i);
            ConferenceBridgeProperties p = conf.isEmpty() ? null : conf.get(b.id());
            if (p == null) {
                if (unused == null || b.correctedStress() < unused.correctedStress()) {
                    unused = b;
                }
            } else if (p.participantCount() < fewestCount
                    || (p.participantCount() == fewestCount && b.correctedStress() < fewest.correctedStress())) {
                fewest = b;
                fewestCount = p.participantCount();
            }
        }
        if (unused != null) return Decision.of(unused, UNUSED);
        if (fewest != null) return Decision.of(fewest, FEWEST);
        return Decision.none(Reason.of("split: no candidates"));
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
