package io.focus.conference;

import java.util.Set;

/**
 * What the focus found when it joined (or joined again) a room.
 *
 * @param created the room did not exist and the focus created it (status 201): nobody is in it, and whoever was in it
 *     before (a Prosody restart destroys its rooms) is gone
 * @param occupants the nicks of the other occupants present when the join completed
 */
public record RoomJoin(boolean created, Set<String> occupants) {
    public RoomJoin {
        occupants = Set.copyOf(occupants);
    }
}
