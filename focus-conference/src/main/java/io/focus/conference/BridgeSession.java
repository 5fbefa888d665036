package io.focus.conference;

import io.focus.core.bridge.BridgeState;
import io.focus.core.colibri.Sources;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;

/** A conference's use of one bridge (the Colibri2 conference there and its members); see {@link ConferenceBridges}. */
final class BridgeSession {
    /** The bridge's latest state (refreshed by every bridge event). */
    BridgeState bridge;
    final String id = UUID.randomUUID().toString();
    boolean createSent;
    boolean created;
    final LinkedHashSet<Participant> members = new LinkedHashSet<>();
    final Deque<Instant> recentAdds = new ArrayDeque<>();
    /** The bridge's feedback sources in this conference, from the first reply that carried them. */
    Sources feedbackSources;
    /** The reply (or failure) of the conference create was handled. */
    boolean createAnswered;
    /** Allocation replies without feedback sources that came before the create's reply. */
    final List<Runnable> afterCreate = new ArrayList<>();
    /** Made by a previous focus process and taken back ({@link ConferenceBridges#adopt}) until dropped of what is stale. */
    boolean adopted;
    /** Endpoints the previous process left here; each one's first allocation replaces it. */
    final java.util.Set<String> stale = new java.util.LinkedHashSet<>();

    BridgeSession(BridgeState bridge) { this.bridge = bridge; }

    /**
     * The allocation with the bridge's feedback sources of this conference: they belong to the conference on
     * the bridge, not to one endpoint, so an allocation reply without them (the real bridges repeat them in every
     * endpoint create reply, a-036..a-041; Jicofo offered them to every participant) gets the ones seen before.
     */
    Allocation withFeedbackSources(Allocation a) {
        if (a.feedbackSources() != null && !a.feedbackSources().isEmpty()) {
            feedbackSources = a.feedbackSources();
            return a;
        }
        return feedbackSources == null ? a : a.withFeedbackSources(feedbackSources);
    }
}
