package io.focus.bench.conference;

import io.focus.conference.Allocation;
import io.focus.conference.ConferenceControl;
import io.focus.conference.ConferenceRoom;
import io.focus.conference.ConferenceRoomFactory;
import io.focus.conference.ConferenceView;
import io.focus.conference.Occupant;
import io.focus.conference.ParticipantSignaller;
import io.focus.conference.ParticipantView;
import io.focus.conference.RoomJoin;
import io.focus.conference.RoomListener;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * Cheap participants: rooms that live in memory (no MUC, no participant connections), whose occupants the benchmark
 * adds itself, and a signaller that only records when each participant got its place (no Jingle: a placement or a
 * move completes as soon as its Colibri2 allocation succeeded, as with {@link ParticipantSignaller#NONE}). Everything
 * between — the conference manager, selection, the registry and the Colibri2 round trip through Prosody to the
 * SimBridges — is the real thing.
 */
final class CheapRooms implements ConferenceRoomFactory, ParticipantSignaller {
    /** A participant got a place: room, endpoint, bridge nick, when. */
    record Placed(String room, String endpoint, String bridgeNick, long nanos) {}

    private final Map<String, RoomListener> rooms = new ConcurrentHashMap<>();
    private final List<BiConsumer<String, Placed>> listeners = new CopyOnWriteArrayList<>();

    @Override
    public ConferenceRoom create(String roomJid, RoomListener listener) {
        rooms.put(roomJid, listener);
        return new ConferenceRoom() {
            @Override public CompletableFuture<RoomJoin> join() {
                return CompletableFuture.completedFuture(new RoomJoin(true, java.util.Set.of()));
            }
            @Override public void leave() { rooms.remove(roomJid); }
            // no connection under these rooms: it is never lost
            @Override public void connectionLost() { }
            @Override public void grantOwnership(Occupant occupant) { }
            @Override public void updatePresence(int bridgeCount, boolean bridgeNotAvailable) { }
        };
    }

    /** The occupant joins the room (the conference must have been requested). */
    void join(String roomJid, String nick) {
        RoomListener l = rooms.get(roomJid);
        if (l == null) {
            throw new IllegalStateException("no room " + roomJid + " (request the conference first)");
        }
        l.occupantJoined(new Occupant(nick, roomJid + "/" + nick, null, null, null));
    }

    /** Called with (room/endpoint key, placement) on the conference control thread: keep it cheap. */
    void onPlaced(BiConsumer<String, Placed> l) { listeners.add(l); }

    static String key(String room, String endpoint) { return room + "/" + endpoint; }

    // No Jingle here: like ParticipantSignaller.NONE, there is nothing to tell a cheap participant about moves,
    // removals or the end of its conference.
    @Override public void attach(ConferenceControl control) { }
    @Override public void onMoving(ConferenceView conference, ParticipantView participant, String fromBridgeId,
                                   String reason) { }
    @Override public void onRemoved(ConferenceView conference, ParticipantView participant, boolean left) { }
    @Override public void onSessionLost(ConferenceView conference, ParticipantView participant) { }
    @Override public void onEnded(ConferenceView conference) { }

    @Override
    public CompletionStage<Void> onPlaced(ConferenceView conference, ParticipantView participant,
                                          Allocation allocation) {
        Placed p = new Placed(conference.roomJid(), participant.id(), allocation.bridgeNick(), System.nanoTime());
        String k = key(p.room(), p.endpoint());
        listeners.forEach(l -> l.accept(k, p));
        return CompletableFuture.completedFuture(null);
    }
}
