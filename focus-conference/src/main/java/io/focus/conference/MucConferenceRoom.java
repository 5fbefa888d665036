package io.focus.conference;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.jivesoftware.smack.PresenceListener;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.XMPPConnection;
import org.jivesoftware.smack.packet.ExtensionElement;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.PresenceBuilder;
import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.jivesoftware.smackx.caps.packet.CapsExtension;
import org.jivesoftware.smackx.muc.MucEnterConfiguration;
import org.jivesoftware.smackx.xdata.form.Form;
import org.jivesoftware.smackx.xdata.form.FillableForm;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.jivesoftware.smackx.muc.MultiUserChatManager;
import org.jivesoftware.smackx.muc.UserStatusListener;
import org.jivesoftware.smackx.muc.packet.MUCUser;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A conference room over Smack's {@link MultiUserChat}, on the client connection. The focus is a Prosody admin, so
 * it owns the rooms it joins. Blocking MUC operations run on the given IO executor, never on the caller's thread or
 * Smack's; occupant presences are handed to the {@link RoomListener} (which posts them to the control loop).
 *
 * <p>What the room tells about the focus itself is handed over too: destroyed, kicked, banned or removed
 * ({@link RoomListener#focusRemoved}), a lost privilege ({@link RoomListener#focusDemoted}). An occupant that the
 * server takes out while it shuts down is reported as {@link RoomListener#occupantDropped}, not as a leave. After
 * {@link #connectionLost} (Smack keeps a room "joined" across a reconnect that did not resume the stream, and would
 * refuse to join it again), {@link #join} joins again and reports whether the room had to be created anew.
 */
public final class MucConferenceRoom implements ConferenceRoom {
    private static final Logger log = LoggerFactory.getLogger(MucConferenceRoom.class);
    public static final String FOCUS_NS = "http://jitsi.org/protocol/focus";
    static final String WHOIS = "muc#roomconfig_whois";

    private final XMPPConnection connection;
    private final EntityBareJid room;
    private final Resourcepart nick;
    private final Executor io;
    private final RoomListener listener;
    private final MultiUserChat muc;
    private final Map<String, Boolean> known = new ConcurrentHashMap<>();
    private final PresenceListener presenceListener = this::onPresence;
    private final UserStatusListener statusListener = new OwnStatus();
    private volatile Presence lastPresence;

    /**
     * Which room object last joined each room, shared by the rooms of one factory. Smack has one
     * {@link MultiUserChat} per room JID, so a conference that ended and a new one for the same room share it: the
     * old one's leave, run later on the IO executor, must not take the new one out of the room.
     */
    private final Map<EntityBareJid, MucConferenceRoom> members;

    MucConferenceRoom(XMPPConnection connection, EntityBareJid room, Resourcepart nick, Executor io,
                      RoomListener listener) {
        this(connection, room, nick, io, listener, new ConcurrentHashMap<>());
    }

    private MucConferenceRoom(XMPPConnection connection, EntityBareJid room, Resourcepart nick, Executor io,
                              RoomListener listener, Map<EntityBareJid, MucConferenceRoom> members) {
        this.members = members;
        this.connection = connection;
        this.room = room;
        this.nick = nick;
        this.io = io;
        this.listener = listener;
        this.muc = MultiUserChatManager.getInstanceFor(connection).getMultiUserChat(room);
    }

    /** The factory the app binds: rooms on {@code connection} with the focus's nick ({@code focus}). */
    public static ConferenceRoomFactory factory(Supplier<XMPPConnection> connection, String focusNick, Executor io) {
        Map<EntityBareJid, MucConferenceRoom> members = new ConcurrentHashMap<>();
        return (roomJid, listener) -> {
            try {
                return new MucConferenceRoom(connection.get(), JidCreate.entityBareFrom(roomJid),
                        Resourcepart.from(focusNick), io, listener, members);
            } catch (Exception e) {
                throw new IllegalArgumentException("bad room JID " + roomJid + ": " + e.getMessage(), e);
            }
        };
    }

    @Override public CompletableFuture<RoomJoin> join() {
        muc.addParticipantListener(presenceListener);
        muc.addUserStatusListener(statusListener);
        return CompletableFuture.supplyAsync(() -> {
            try {
                if (muc.isJoined()) {
                    // still a member as far as Smack knows (nothing was lost): nothing to send; a membership an
                    // ended conference of this room left behind is taken over, with the occupants it knew
                    if (members.put(room, this) != this) {
                        known.clear();
                        muc.getOccupants().forEach(o -> onPresence(muc.getOccupantPresence(o)));
                    }
                    return new RoomJoin(false, known.keySet());
                }
                // whoever is in the room now is reported (again) as joined while the join runs
                known.clear();
                MucEnterConfiguration.Builder b = muc.getEnterConfigurationBuilder(nick).requestNoHistory();
                Presence p = lastPresence;
                if (p != null) {
                    b.withPresence(pb -> p.getExtensions().forEach(pb::addExtension));
                }
                boolean created = muc.createOrJoin(b.build()) != null;
                members.put(room, this);
                configure();
                if (lastPresence == null) {
                    // as Jicofo (a-011): right after configuring, the presence that tells clients what the focus
                    // supports, before anybody has a bridge
                    sendPresence(presence(null, false));
                }
                // Smack returns once the reflected self-presence is processed, after every occupant's presence
                return new RoomJoin(created, known.keySet());
            } catch (Exception e) {
                muc.removeParticipantListener(presenceListener);
                muc.removeUserStatusListener(statusListener);
                throw new java.util.concurrent.CompletionException(e);
            }
        }, io);
    }

    /**
     * Forgets the membership without a stanza: Smack resets its room state in {@code leave()} before anything fails,
     * and on a closed connection the send fails at once. Never called with the connection up (a leave sent then would
     * wait for a reflection that a room we are no longer in never sends).
     */
    @Override public void connectionLost() {
        if (!muc.isJoined()) {
            return;
        }
        if (connection.isConnected()) {
            log.warn("Room {}: told the connection was lost while it is up; keeping the membership", room);
            return;
        }
        try {
            muc.leave();
        } catch (SmackException.NotConnectedException e) {
            log.debug("Room {}: membership forgotten after the connection loss", room);
        } catch (Exception e) {
            log.info("Room {}: forgetting the membership after the connection loss: {}", room, e.toString());
        }
    }

    /**
     * Submits the room configuration Jicofo submits: only {@code muc#roomconfig_whois = anyone}. A stock Jitsi Meet
     * client accepts Jingle only from the focus it can identify by real JID ("Rejecting session-initiate from
     * non-focus" otherwise), which needs a non-anonymous room; Prosody's default is semi-anonymous. Done on every
     * join (a newly created room is unlocked by it too); if the room refuses, the join fails loudly rather than
     * leaving a room in which no client will take the focus's offer.
     */
    private void configure() throws Exception {
        Form current = muc.getConfigurationForm();
        FillableForm form = current.getFillableForm();
        if (!form.hasField(WHOIS)) {
            throw new IllegalStateException("room " + room + " has no " + WHOIS + " field in its configuration form");
        }
        form.setAnswer(WHOIS, "anyone");
        muc.sendConfigurationForm(form);
        log.debug("Room {}: configured (whois=anyone)", room);
    }

    @Override public void leave() {
        muc.removeParticipantListener(presenceListener);
        muc.removeUserStatusListener(statusListener);
        io.execute(() -> {
            try {
                if (members.remove(room, this) && muc.isJoined()) {
                    muc.leave();
                }
            } catch (Exception e) {
                log.info("Room {}: leaving failed: {}", room, e.toString());
            }
        });
    }

    @Override public void grantOwnership(Occupant occupant) {
        if (occupant.realJid() == null) {
            log.info("Room {}: cannot make {} owner, its real JID is not known", room, occupant.nick());
            return;
        }
        io.execute(() -> {
            try {
                Jid real = JidCreate.from(occupant.realJid()).asBareJid();
                muc.grantOwnership(real);
                log.info("Room {}: {} ({}) is now an owner", room, occupant.nick(), real);
            } catch (Exception e) {
                log.warn("Room {}: granting ownership to {} failed: {}", room, occupant.nick(), e.toString());
            }
        });
    }

    @Override public void updatePresence(int bridgeCount, boolean bridgeNotAvailable) {
        Presence p = presence(bridgeCount, bridgeNotAvailable);
        if (p == null) {
            return;
        }
        lastPresence = p;
        if (!muc.isJoined()) {
            return;
        }
        io.execute(() -> sendPresence(p));
    }

    private Presence presence(Integer bridgeCount, boolean bridgeNotAvailable) {
        PresenceBuilder pb = connection.getStanzaFactory().buildPresenceStanza().ofType(Presence.Type.available);
        pb.addExtension(versions());
        pb.addExtension(conferenceProperties(bridgeCount));
        if (bridgeNotAvailable) {
            pb.addExtension(bridgeNotAvailable());
        }
        try {
            pb.to(JidCreate.entityFullFrom(room, nick));
        } catch (Exception e) {
            log.error("Room {}: bad occupant JID for nick {}: {}", room, nick, e.toString());
            return null;
        }
        return pb.build();
    }

    private void sendPresence(Presence p) {
        if (p == null) {
            return;
        }
        try {
            connection.sendStanza(p);
        } catch (Exception e) {
            log.info("Room {}: presence update failed: {}", room, e.toString());
        }
    }

    /**
     * {@code <conference-properties xmlns="http://jitsi.org/protocol/focus">}: {@code support-terminate-restart}
     * (clients then ask for an ICE restart with a session-terminate, which the focus answers with a new session, as
     * Jicofo's a-011/a-030 say) and, once known, {@code bridge-count}.
     */
    public static ExtensionElement conferenceProperties(Integer bridgeCount) {
        StandardExtensionElement.Builder b = StandardExtensionElement.builder("conference-properties", FOCUS_NS)
                .addElement(property("support-terminate-restart", "true"));
        if (bridgeCount != null) {
            b.addElement(property("bridge-count", Integer.toString(bridgeCount)));
        }
        return b.build();
    }

    private static StandardExtensionElement property(String key, String value) {
        return StandardExtensionElement.builder("property", FOCUS_NS).addAttribute("key", key)
                .addAttribute("value", value).build();
    }

    /** {@code <versions xmlns="http://jitsi.org/jitmeet"><component name="focus">…</component></versions>}. */
    static ExtensionElement versions() {
        String v = MucConferenceRoom.class.getPackage().getImplementationVersion();
        return StandardExtensionElement.builder("versions", "http://jitsi.org/jitmeet")
                .addElement(StandardExtensionElement.builder("component", "http://jitsi.org/jitmeet")
                        .addAttribute("name", "focus").setText(v != null ? v : "dev").build())
                .build();
    }

    /** {@code <bridgeNotAvailable xmlns="http://jitsi.org/protocol/focus"/>}. */
    public static ExtensionElement bridgeNotAvailable() {
        return StandardExtensionElement.builder("bridgeNotAvailable", FOCUS_NS).build();
    }

    /** On Smack's thread: parse and hand over; never throws. */
    private void onPresence(Presence presence) {
        try {
            Jid from = presence.getFrom();
            if (from == null || !from.hasResource()) {
                return;
            }
            String occupantNick = from.getResourceOrThrow().toString();
            if (occupantNick.equals(nick.toString())) {
                return;
            }
            if (presence.getType() == Presence.Type.unavailable) {
                if (known.remove(occupantNick) != null) {
                    if (looksLikeServerShutdown(MUCUser.from(presence), presence.getStatus())) {
                        listener.occupantDropped(occupantNick, presence.getStatus() != null ? presence.getStatus()
                                : "status 332");
                    } else {
                        listener.occupantLeft(occupantNick);
                    }
                }
                return;
            }
            if (presence.getType() != Presence.Type.available) {
                return;
            }
            Occupant o = occupant(presence, occupantNick);
            if (known.put(occupantNick, Boolean.TRUE) == null) {
                listener.occupantJoined(o);
            } else {
                listener.occupantChanged(o);
            }
        } catch (RuntimeException e) {
            log.warn("Room {}: bad occupant presence ignored: {}", room, e.toString());
        }
    }

    static Occupant occupant(Presence presence, String occupantNick) {
        String realJid = null;
        MUCUser user = MUCUser.from(presence);
        if (user != null && user.getItem() != null && user.getItem().getJid() != null) {
            realJid = user.getItem().getJid().toString();
        }
        return new Occupant(occupantNick, presence.getFrom().toString(), realJid,
                childText(presence, "jitsi_participant_region"), childText(presence, "stats-id"), capsNode(presence));
    }

    /**
     * {@code node#ver} of the presence's entity capabilities ({@code <c xmlns="http://jabber.org/protocol/caps"
     * node ver>}, XEP-0115), or null when it has none or either attribute is missing.
     */
    static String capsNode(Presence presence) {
        String node = null;
        String ver = null;
        for (ExtensionElement e : presence.getExtensions()) {
            if (!"c".equals(e.getElementName()) || !CapsExtension.NAMESPACE.equals(e.getNamespace())) {
                continue;
            }
            if (e instanceof CapsExtension caps) {
                node = caps.getNode();
                ver = caps.getVer();
            } else if (e instanceof StandardExtensionElement s) {
                node = s.getAttributeValue("node");
                ver = s.getAttributeValue("ver");
            }
            break;
        }
        return node == null || node.isBlank() || ver == null || ver.isBlank() ? null : node + "#" + ver;
    }

    /** Text of a child element by name, whatever namespace Smack gave it (jitsi sends these in jabber:client). */
    static String childText(Presence presence, String element) {
        for (ExtensionElement e : presence.getExtensions()) {
            if (element.equals(e.getElementName()) && e instanceof StandardExtensionElement s) {
                String t = s.getText();
                return t == null || t.isBlank() ? null : t.trim();
            }
        }
        return null;
    }

    EntityFullJid occupantJid() {
        return JidCreate.entityFullFrom(room, nick);
    }

    /**
     * True when an occupant's unavailable presence is the server going away rather than the participant: MUC status
     * 332 (system shutdown), or Prosody 0.12's text when it closes every session on SIGTERM/SIGINT ("Disconnected:
     * Received SIGTERM"), or another text about a shutdown.
     */
    static boolean looksLikeServerShutdown(MUCUser user, String statusText) {
        if (user != null && user.getStatus().contains(MUCUser.Status.create(332))) {
            return true;
        }
        if (statusText == null) {
            return false;
        }
        String t = statusText.toLowerCase(Locale.ROOT);
        return t.contains("received sig") || t.contains("shutdown") || t.contains("shutting down");
    }

    /** What the room says about the focus itself; Smack's thread: hand over, never throw. */
    private final class OwnStatus implements UserStatusListener {
        @Override public void kicked(Jid actor, String reason) {
            removed(RoomExit.Kind.KICKED, actor, reason);
        }

        @Override public void banned(Jid actor, String reason) {
            removed(RoomExit.Kind.BANNED, actor, reason);
        }

        @Override public void roomDestroyed(MultiUserChat alternate, String reason) {
            removed(RoomExit.Kind.DESTROYED, null, reason);
        }

        @Override public void removed(MUCUser user, Presence presence) {
            if (looksLikeServerShutdown(user, presence.getStatus())) {
                // the server is stopping: the connection loss that follows is what the conference acts on
                log.info("Room {}: the server took the focus out while shutting down", room);
                return;
            }
            removed(RoomExit.Kind.REMOVED, null, presence.getStatus() != null ? presence.getStatus()
                    : "status " + user.getStatus());
        }

        @Override public void ownershipRevoked() { demoted("ownership"); }

        @Override public void adminRevoked() { demoted("admin"); }

        @Override public void moderatorRevoked() { demoted("moderator"); }

        @Override public void voiceGranted() { }
        @Override public void voiceRevoked() { }
        @Override public void membershipGranted() { }
        @Override public void membershipRevoked() { }
        @Override public void moderatorGranted() { }
        @Override public void ownershipGranted() { }
        @Override public void adminGranted() { }

        private void removed(RoomExit.Kind kind, Jid actor, String reason) {
            try {
                muc.removeParticipantListener(presenceListener);
                known.clear();
                listener.focusRemoved(new RoomExit(kind, actor == null ? null : actor.toString(), reason));
            } catch (RuntimeException e) {
                log.warn("Room {}: handling {} failed: {}", room, kind, e.toString());
            }
        }

        private void demoted(String privilege) {
            try {
                listener.focusDemoted(privilege);
            } catch (RuntimeException e) {
                log.warn("Room {}: handling the lost {} failed: {}", room, privilege, e.toString());
            }
        }
    }
}
