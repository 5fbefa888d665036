package io.focus.conference;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** Rooms that record what the focus did in them; tests play the occupants through the listener. */
final class FakeRooms implements ConferenceRoomFactory {
    final Map<String, Room> rooms = new HashMap<>();
    boolean failJoin;
    boolean failCreate;

    @Override public ConferenceRoom create(String roomJid, RoomListener listener) {
        if (failCreate) {
            throw new IllegalArgumentException("bad room JID " + roomJid);
        }
        Room r = new Room(roomJid, listener, failJoin);
        rooms.put(roomJid, r);
        return r;
    }

    Room room(String jid) { return rooms.get(jid); }

    static final class Room implements ConferenceRoom {
        final String jid;
        final RoomListener listener;
        final boolean failJoin;
        boolean joined;
        boolean left;
        int joins;
        int connectionLosses;
        /** What the next join finds: the room was created anew (nobody in it). */
        boolean nextJoinCreates;
        /** Who is in the room now (a join re-announces them, as a real room does). */
        final Map<String, Occupant> present = new java.util.LinkedHashMap<>();
        final List<String> owners = new ArrayList<>();
        int bridgeCount = -1;
        boolean bridgeNotAvailable;
        final List<String> presences = new ArrayList<>();

        Room(String jid, RoomListener listener, boolean failJoin) {
            this.jid = jid;
            this.listener = listener;
            this.failJoin = failJoin;
        }

        @Override public CompletableFuture<RoomJoin> join() {
            if (failJoin) {
                return CompletableFuture.failedFuture(new IllegalStateException("join refused"));
            }
            joined = true;
            joins++;
            boolean created = nextJoinCreates || joins == 1;
            if (nextJoinCreates) {
                present.clear();
                nextJoinCreates = false;
            }
            if (joins > 1) {
                present.values().forEach(listener::occupantJoined);
            }
            return CompletableFuture.completedFuture(new RoomJoin(created, present.keySet()));
        }

        @Override public void leave() { left = true; }
        @Override public void connectionLost() { connectionLosses++; joined = false; }
        @Override public void grantOwnership(Occupant o) { owners.add(o.nick()); }

        @Override public void updatePresence(int count, boolean noBridge) {
            bridgeCount = count;
            bridgeNotAvailable = noBridge;
            presences.add(count + (noBridge ? " bridgeNotAvailable" : ""));
        }

        void join(String nick, String region) {
            Occupant o = new Occupant(nick, jid + "/" + nick, null, region, nick + "-stats");
            present.put(nick, o);
            listener.occupantJoined(o);
        }

        /** An occupant with a real JID (a client session: another one is a new session). */
        void joinAs(String nick, String realJid) {
            Occupant o = new Occupant(nick, jid + "/" + nick, realJid, null, nick + "-stats");
            present.put(nick, o);
            listener.occupantJoined(o);
        }

        /** While the focus is out of the room: the occupant came back from another session (nothing reported). */
        void reconnectedMeanwhile(String nick, String realJid) {
            present.put(nick, new Occupant(nick, jid + "/" + nick, realJid, null, nick + "-stats"));
        }

        void leave(String nick) {
            present.remove(nick);
            listener.occupantLeft(nick);
        }
    }
}
