package io.focus.conference.signalling;

import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * What a participant supports (its disco#info features, as Jicofo asks its occupant JID). Never fails: an error or
 * timeout completes with no features, so the participant gets the defaults (XML sources).
 */
@FunctionalInterface
public interface FeatureDiscovery {
    FeatureDiscovery NONE = (jid, node) -> CompletableFuture.completedFuture(Set.of());

    /**
     * @param occupantJid where the query goes
     * @param capsNode the {@code node#ver} of the participant's entity capabilities, asked about as the query's
     *     {@code node} (as Jicofo does, a-019), or null to ask without a node
     */
    CompletableFuture<Set<String>> features(String occupantJid, String capsNode);
}
