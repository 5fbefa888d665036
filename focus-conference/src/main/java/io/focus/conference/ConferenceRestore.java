package io.focus.conference;

import io.focus.core.bridge.BridgeSnapshot;
import io.focus.core.bridge.BridgeState;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A restarted focus takes back the conferences its previous process saved ({@link ConferenceStateStore}). For each:
 * the conference comes back with its meeting id and joins its room; of its bridge conferences, the one with the most
 * endpoints on an operational bridge is re-used ({@link Conference#adoptBridge}: no create, and each participant's
 * first allocation there replaces the endpoint the previous process left), and the others are expired at once
 * (with the re-used bridge's relays towards them), so that nothing stays behind on any bridge. Participants in the
 * room are placed and offered their place as new ones; those of the previous process that do not come back within
 * {@link RecoverySettings#rejoinTimeout} have their endpoints expired ({@link RoomRecovery#restored}). A conference
 * none of whose bridges is operational is expired everywhere and not taken back (its clients ask for it again).
 *
 * <p>Runs on the conference loop.
 */
final class ConferenceRestore {
    private static final Logger log = LoggerFactory.getLogger(ConferenceRestore.class);

    private final ConferenceContext ctx;
    private final RoomRecovery recovery;

    ConferenceRestore(ConferenceContext ctx, RoomRecovery recovery) {
        this.ctx = ctx;
        this.recovery = recovery;
    }

    /**
     * @param create room, meeting id → a new conference (not started), or null when the room has a live one
     * @param start joins the conference's room
     * @return how many conferences were taken back
     */
    int restore(List<SavedConference> saved, BiFunction<String, String, Conference> create, Consumer<Conference> start) {
        int n = 0;
        for (SavedConference s : saved) {
            try {
                if (restore(s, create, start)) {
                    n++;
                }
            } catch (RuntimeException e) {
                log.error("Room {}: taking it back failed", s.room(), e);
            }
        }
        if (!saved.isEmpty()) {
            log.info("Took back {} of the {} conference(s) the previous focus process left", n, saved.size());
        }
        return n;
    }

    private boolean restore(SavedConference s, BiFunction<String, String, Conference> create,
                            Consumer<Conference> start) {
        BridgeSnapshot snapshot = ctx.bridges().snapshot();
        Conference c = create.apply(s.room(), s.meetingId());
        Optional<SavedConference.Bridge> keep = c == null ? Optional.empty() : s.bridges().stream()
                .filter(b -> snapshot.get(b.id()) != null && snapshot.get(b.id()).operational())
                .max(Comparator.comparingInt(b -> b.endpoints().size()));
        if (c == null) {
            log.info("Room {}: already has a conference; expiring the saved one's", s.room());
        }
        ConferenceSpec spec = new ConferenceSpec(s.meetingId(), s.room(), true);
        for (SavedConference.Bridge b : s.bridges()) {
            if (keep.isPresent() && keep.get() == b) {
                continue;
            }
            BridgeState state = snapshot.get(b.id()) != null ? snapshot.get(b.id())
                    : BridgeState.builder(b.id()).nick(b.nick()).relayId(b.relayId()).build();
            log.info("Room {}: expiring the previous process's conference on {} (meeting_id={})", s.room(), b.nick(),
                    s.meetingId());
            ctx.expiries().expireConference(state, spec, "[room=" + s.room() + "]");
            if (keep.isPresent() && b.relayId() != null) {
                // the re-used conference's relay towards the one just expired
                ctx.expiries().expireRelay(snapshot.get(keep.get().id()), spec, b.relayId(), "[room=" + s.room() + "]");
            }
        }
        if (c == null) {
            return false;
        }
        if (keep.isPresent()) {
            SavedConference.Bridge b = keep.get();
            c.adoptBridge(snapshot.get(b.id()), Set.copyOf(b.endpoints()));
            log.info("Room {}: re-using the bridge conference on {} (meeting_id={}, {} endpoint(s) of the previous "
                    + "process)", s.room(), b.nick(), s.meetingId(), b.endpoints().size());
        }
        start.accept(c);
        recovery.restored(c, s.bridges().stream().mapToInt(b -> b.endpoints().size()).sum());
        return true;
    }
}
