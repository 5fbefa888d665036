package io.focus.conference;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.jivesoftware.smack.PresenceListener;
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
    private volatile Presence lastPresence;

    MucConferenceRoom(XMPPConnection connection, EntityBareJid room, Resourcepart nick, Executor io,
                      RoomListener listener) {
        this.connection = connection;
        this.room = room;
        this.nick = nick;
        this.io = io;
        this.listener = listener;
        this.muc = MultiUserChatManager.getInstanceFor(connection).getMultiUserChat(room);
    }

    /** The factory the app binds: rooms on {@code connection} with the focus's nick ({@code focus}). */
    public static ConferenceRoomFactory factory(Supplier<XMPPConnection> connection, String focusNick, Executor io) {
        return (roomJid, listener) -> {
            try {
                return new MucConferenceRoom(connection.get(), JidCreate.entityBareFrom(roomJid),
                        Resourcepart.from(focusNick), io, listener);
            } catch (Exception e) {
                throw new IllegalArgumentException("bad room JID " + roomJid + ": " + e.getMessage(), e);
            }
        };
    }

    @Override public CompletableFuture<Void> join() {
        muc.addParticipantListener(presenceListener);
        return CompletableFuture.runAsync(() -> {
            try {
                MucEnterConfiguration.Builder b = muc.getEnterConfigurationBuilder(nick).requestNoHistory();
                Presence p = lastPresence;
                if (p != null) {
                    b.withPresence(pb -> p.getExtensions().forEach(pb::addExtension));
                }
                muc.createOrJoin(b.build());
                configure();
                if (lastPresence == null) {
                    // as Jicofo (a-011): right after configuring, the presence that tells clients what the focus
                    // supports, before anybody has a bridge
                    sendPresence(presence(null, false));
                }
            } catch (Exception e) {
                muc.removeParticipantListener(presenceListener);
                throw new java.util.concurrent.CompletionException(e);
            }
        }, io);
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
        io.execute(() -> {
            try {
                if (muc.isJoined()) {
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
                    listener.occupantLeft(occupantNick);
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
}
