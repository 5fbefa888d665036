package io.focus.core.signalling;

import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * What a participant supports (its disco#info features, as Jicofo asks its occupant JID). Never fails: an error or
 * timeout completes with no features, so the participant gets the defaults (XML sources).
 */
@FunctionalInterface
public interface FeatureDiscovery {
    FeatureDiscovery NONE = jid -> CompletableFuture.completedFuture(Set.of());

    CompletableFuture<Set<String>> features(String occupantJid);
}
