package io.focus.conference;

import io.focus.core.bridge.BridgeState;
import io.focus.core.colibri.Colibri2Error;
import io.focus.core.colibri.Colibri2Errors;
import io.focus.core.colibri.Colibri2Transport;
import io.focus.core.colibri.ConferenceModifiedIQ;
import io.focus.core.colibri.ConferenceModifyIQ;
import io.focus.core.colibri.DtlsFingerprint;
import io.focus.core.colibri.Endpoint;
import io.focus.core.colibri.IceUdpTransport;
import io.focus.core.colibri.Media;
import io.focus.core.colibri.PayloadType;
import io.focus.core.colibri.Relay;
import io.focus.core.colibri.Sctp;
import io.focus.core.colibri.Sources;
import io.focus.core.xmpp.ServerBounce;
import io.focus.core.xmpp.connection.IqRequester;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.XMPPConnection;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.packet.StanzaError;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ColibriBackend} over XMPP: Colibri2 {@code conference-modify} IQs of type get (as Jicofo sends them) to the
 * bridge's brewery occupant JID, on the service connection, with a reply timeout counted from the request. Requests go
 * through the connection's {@link IqRequester} (sent in call order by its sender thread, replies matched by id; a
 * request it could not send in time fails as not sent, never as the bridge's silence), replies complete
 * the futures on Smack's async threads; nothing here blocks. With a {@link ColibriDeadlineWatch}, a request
 * unanswered past the deadline makes its bridge suspect, and a reply timeout across a loss of the focus's own link
 * is reported as not sent (the participant is retried; the bridge is not failed for the focus's own trouble).
 */
public final class XmppColibriBackend implements ColibriBackend {
    private static final Logger log = LoggerFactory.getLogger(XmppColibriBackend.class);
    static final String MESH_ID = "0";

    private final IqRequester requests;
    private final Duration replyTimeout;
    private final Media audioMedia;
    private final Media videoMedia;
    private final ColibriDeadlineWatch deadlines;

    /**
     * @param requests the service connection's requests (the connection in the brewery room)
     * @param replyTimeout {@code jicofo.xmpp.service.reply-timeout} (15 s)
     */
    public XmppColibriBackend(IqRequester requests, Duration replyTimeout) {
        this(requests, replyTimeout, AUDIO, VIDEO);
    }

    /**
     * @param audio the audio media endpoints and relays are created with (the app passes
     *     {@code CodecSettings.colibriAudio(OfferOptions.DEFAULT)}, the same codecs the participants are offered)
     * @param video the video media, likewise ({@code CodecSettings.colibriVideo})
     */
    public XmppColibriBackend(IqRequester requests, Duration replyTimeout, Media audio, Media video) {
        this(requests, replyTimeout, audio, video, null);
    }

    /**
     * @param deadlines watches every request for its bridge's silence (a bridge that does not answer within the
     *     deadline becomes suspect); null: requests are only timed by their reply timeout
     */
    public XmppColibriBackend(IqRequester requests, Duration replyTimeout, Media audio, Media video,
                              ColibriDeadlineWatch deadlines) {
        this.deadlines = deadlines;
        this.requests = java.util.Objects.requireNonNull(requests, "requests");
        this.replyTimeout = replyTimeout;
        this.audioMedia = audio;
        this.videoMedia = video;
    }

    // ---------------------------------------------------------------------------------------------------------

    @Override public CompletableFuture<Allocation> allocate(BridgeState bridge, ConferenceSpec conf, EndpointSpec ep,
                                                            boolean createConference) {
        Endpoint.Builder e = Endpoint.builder(ep.id()).create(true).statsId(ep.statsId())
                .capability("source-names").media(audioMedia).media(videoMedia)
                .transport(new Colibri2Transport(true, null, null, ep.sctp() ? new Sctp(null, null) : null))
                // Jicofo creates every endpoint with an empty <sources/> (a-027..a-029, d-014..d-022): its sources
                // follow with the session-accept
                .sources(Sources.EMPTY);
        if (ep.visitor()) {
            e.mucRole("visitor");
        }
        ConferenceModifyIQ.Builder b = ConferenceModifyIQ.builder(conf.meetingId());
        if (ep.replace()) {
            // the bridge applies the elements in order: the stale endpoint goes, then the new one is created, and
            // the conference is never empty in between
            b.endpoint(Endpoint.expire(ep.id()));
        }
        b.endpoint(e.build());
        if (createConference) {
            b.create(true).name(conf.roomJid()).rtcstatsEnabled(conf.rtcstatsEnabled());
        }
        return send(bridge, b.build(), "allocate " + ep.id(), reply -> allocation(bridge, ep, reply));
    }

    /** The allocation a bridge's {@code conference-modified} gives the endpoint (the session fields are added later). */
    static Allocation allocation(BridgeState bridge, EndpointSpec ep, ConferenceModifiedIQ reply) {
        // a replacing allocation's reply echoes the expire first; the new endpoint is the one with a transport
        Endpoint got = reply.endpoints().stream().filter(x -> x.id().equals(ep.id()) && x.transport() != null)
                .findFirst().orElse(reply.endpoint(ep.id()));
        if (got == null || got.transport() == null || got.transport().iceUdp() == null) {
            throw ColibriException.badResponse("no transport for endpoint " + ep.id() + " in the reply");
        }
        if (ep.sctp() && got.transport().sctp() == null) {
            // Jicofo drops the participant here; we keep the place (media works, data channels may not).
            log.debug("{}: SCTP requested for {} but the reply has no <sctp>", bridge.nick(), ep.id());
        }
        Integer port = got.transport().sctp() != null ? got.transport().sctp().port() : null;
        return new Allocation(bridge.id(), bridge.nick(), bridge.region(), null, got.transport(), reply.sources(),
                port);
    }

    @Override public CompletableFuture<Void> expireEndpoint(BridgeState bridge, ConferenceSpec conf, String id) {
        return send(bridge, ConferenceModifyIQ.builder(conf.meetingId()).endpoint(Endpoint.expire(id)).build(),
                "expire " + id, r -> null);
    }

    @Override public CompletableFuture<Void> expireConference(BridgeState bridge, ConferenceSpec conf) {
        return send(bridge, ConferenceModifyIQ.expireConference(conf.meetingId()), "expire conference", r -> null);
    }

    @Override public CompletableFuture<RelayTransport> createRelay(BridgeState bridge, ConferenceSpec conf,
                                                                   String relayId, List<EndpointSpec> endpoints,
                                                                   boolean initiator, boolean sctp) {
        Relay.Builder r = Relay.builder(relayId).create(true).meshId(MESH_ID).media(audioMedia).media(videoMedia)
                .endpoints(endpoints.stream().filter(e -> !e.visitor()).map(this::relayEndpoint).toList())
                // as Jicofo (b-030, b-031): the initiator's transport is ICE-controlling with a unique port; the
                // other side's is bare
                .transport(new Colibri2Transport(initiator ? Boolean.TRUE : null, initiator ? Boolean.TRUE : null, null,
                        sctp ? new Sctp(initiator ? "client" : "server", null) : null));
        return send(bridge, ConferenceModifyIQ.builder(conf.meetingId()).relay(r.build()).build(),
                "create relay " + relayId, reply -> {
                    Relay got = reply.relay(relayId);
                    if (got == null || got.transport() == null || got.transport().iceUdp() == null) {
                        throw ColibriException.badResponse("no transport for relay " + relayId + " in the reply");
                    }
                    return new RelayTransport(got.transport());
                });
    }

    @Override public CompletableFuture<Void> updateRelayTransport(BridgeState bridge, ConferenceSpec conf,
                                                                  String relayId, RelayTransport remote,
                                                                  boolean remoteIsInitiator, boolean sctp) {
        IceUdpTransport ice = remote.transport().iceUdp();
        IceUdpTransport.Builder b = ice.toBuilder().clearFingerprints();
        // The bridges answer actpass. As Jicofo does (real-call b-044, b-064): the initiator is given the other
        // side's transport marked setup=active, with the other side's colibri-relay-ws URL (the initiator opens the
        // bridge channel); the other side is given the initiator's transport marked passive, without a web-socket.
        // With SCTP data channels there is no web-socket on either side.
        for (DtlsFingerprint f : ice.fingerprints()) {
            b.fingerprint(f.withSetup(remoteIsInitiator ? "passive" : "active"));
        }
        if (sctp || remoteIsInitiator) {
            b.clearWebSocketUrls();
        }
        Relay r = Relay.builder(relayId).transport(Colibri2Transport.of(b.build())).build();
        return send(bridge, ConferenceModifyIQ.builder(conf.meetingId()).relay(r).build(),
                "relay transport " + relayId, x -> null);
    }

    @Override public CompletableFuture<Void> addRelayEndpoints(BridgeState bridge, ConferenceSpec conf, String relayId,
                                                               List<EndpointSpec> endpoints) {
        Relay r = Relay.builder(relayId)
                .endpoints(endpoints.stream().filter(e -> !e.visitor()).map(this::relayEndpoint).toList()).build();
        return send(bridge, ConferenceModifyIQ.builder(conf.meetingId()).relay(r).build(),
                "relay endpoints " + relayId, x -> null);
    }

    @Override public CompletableFuture<Void> expireRelayEndpoint(BridgeState bridge, ConferenceSpec conf,
                                                                 String relayId, String endpointId) {
        Relay r = Relay.builder(relayId).endpoint(Endpoint.expire(endpointId)).build();
        return send(bridge, ConferenceModifyIQ.builder(conf.meetingId()).relay(r).build(),
                "relay expire endpoint " + relayId + "/" + endpointId, x -> null);
    }

    @Override public CompletableFuture<Void> expireRelay(BridgeState bridge, ConferenceSpec conf, String relayId) {
        return send(bridge, ConferenceModifyIQ.builder(conf.meetingId()).relay(Relay.expire(relayId)).build(),
                "expire relay " + relayId, x -> null);
    }

    @Override public CompletableFuture<Void> updateEndpoint(BridgeState bridge, ConferenceSpec conf, String endpointId,
                                                            String statsId, IceUdpTransport transport,
                                                            Sources sources) {
        Endpoint.Builder e = Endpoint.builder(endpointId).statsId(statsId);
        if (transport != null) {
            e.transport(Colibri2Transport.of(transport));
        }
        e.sources(sources == null ? Sources.EMPTY : sources);
        return send(bridge, ConferenceModifyIQ.builder(conf.meetingId()).endpoint(e.build()).build(),
                "update " + endpointId, x -> null);
    }

    @Override public CompletableFuture<Void> updateRelayEndpoint(BridgeState bridge, ConferenceSpec conf,
                                                                 String relayId, String endpointId, Sources sources) {
        Relay r = Relay.builder(relayId).endpoints(List.of(Endpoint.builder(endpointId)
                .sources(sources == null ? Sources.EMPTY : sources).build())).build();
        return send(bridge, ConferenceModifyIQ.builder(conf.meetingId()).relay(r).build(),
                "relay endpoint sources " + relayId + "/" + endpointId, x -> null);
    }

    /** A participant behind the other bridge, as Jicofo announces it on a relay (b-030, b-034): its sources. */
    private Endpoint relayEndpoint(EndpointSpec e) {
        return Endpoint.builder(e.id()).create(true).statsId(e.statsId())
                .sources(e.sources() != null ? e.sources() : Sources.EMPTY).capability("source-names").build();
    }

    // ---------------------------------------------------------------------------------------------------------

    private <T> CompletableFuture<T> send(BridgeState bridge, ConferenceModifyIQ iq, String what,
                                          Function<ConferenceModifiedIQ, T> onResult) {
        CompletableFuture<T> f = new CompletableFuture<>();
        XMPPConnection c = requests.connection();
        if (!c.isAuthenticated()) {
            f.completeExceptionally(ColibriException.notSent("service connection is not connected"));
            return f;
        }
        Jid to;
        try {
            to = JidCreate.from(bridge.id());
        } catch (Exception e) {
            f.completeExceptionally(ColibriException.notSent("bad bridge JID " + bridge.id()));
            return f;
        }
        iq.setTo(to);
        try {
            long epoch = deadlines == null ? 0 : deadlines.epoch();
            requests.request(iq, replyTimeout, deadlines == null ? null : deadlines.watch(bridge.id(), what))
                    .whenComplete((reply, e) -> {
                if (e instanceof SmackException.NoResponseException && deadlines != null && deadlines.lostSince(epoch)) {
                    // not the bridge's silence: the focus's own link went away meanwhile (retried, bridge not failed)
                    f.completeExceptionally(ColibriException.notSent("no reply from " + bridge.nick() + " to " + what
                            + " across a loss of the focus's own link"));
                } else if (e != null) {
                    f.completeExceptionally(map(bridge, what, e instanceof Exception ex ? ex
                            : new RuntimeException(e)));
                } else {
                    complete(f, bridge, what, reply, onResult);
                }
            });
        } catch (RuntimeException e) {
            f.completeExceptionally(ColibriException.notSent(e.toString()));
        }
        return f;
    }

    private static <T> void complete(CompletableFuture<T> f, BridgeState bridge, String what, IQ reply,
                                     Function<ConferenceModifiedIQ, T> onResult) {
        try {
            if (!(reply instanceof ConferenceModifiedIQ modified)) {
                log.warn("Colibri2 {} on {} ({}): unexpected reply {}", what, bridge.nick(), bridge.id(),
                        reply == null ? null : reply.getClass().getSimpleName());
                f.completeExceptionally(ColibriException.badResponse("not a conference-modified: "
                        + (reply == null ? "null" : reply.getChildElementName())));
                return;
            }
            f.complete(onResult.apply(modified));
        } catch (ColibriException e) {
            f.completeExceptionally(e);
        } catch (RuntimeException e) {
            f.completeExceptionally(ColibriException.badResponse(e.toString()));
        }
    }

    static ColibriException map(BridgeState bridge, String what, Exception e) {
        ColibriException out;
        if (e instanceof SmackException.NoResponseException) {
            out = ColibriException.timeout("no reply from " + bridge.nick() + " to " + what);
        } else if (e instanceof XMPPException.XMPPErrorException xe) {
            StanzaError err = xe.getStanzaError();
            Stanza s = xe.getStanza();
            String reason = null;
            String text = err == null ? null : err.getDescriptiveText();
            if (s instanceof IQ iq) {
                // The bridge's own words ("SCTP support is not configured"): Jitsi writes <text> so that it may
                // arrive as an unknown extension rather than as the descriptive text.
                text = Colibri2Errors.textOf(iq);
                Colibri2Error ce = Colibri2Errors.colibri2ErrorOf(iq);
                reason = ce == null ? null : ce.rawReason();
                if (reason != null) {
                    reason = reason.trim().toLowerCase();
                }
            }
            String condition = err == null ? "undefined-condition" : err.getCondition().toString();
            String message = err == null ? String.valueOf(e) : String.valueOf(text);
            out = ServerBounce.isBounce(err) ? ColibriException.bounced(condition, message)
                    : ColibriException.error(condition, reason, message);
        } else if (e instanceof SmackException.NotConnectedException || e instanceof InterruptedException) {
            out = ColibriException.notSent(e.toString());
        } else {
            out = ColibriException.badResponse(e.toString());
        }
        log.debug("Colibri2 {} on {} failed: {}", what, bridge.nick(), out.label());
        return out;
    }

    // ---------------------------------------------------------------------------------------------------------
    // The media Jicofo offers by default (until the signalling layer passes the participant's own).

    private static final String TWCC = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
    private static final String MID = "urn:ietf:params:rtp-hdrext:sdes:mid";
    private static final Media AUDIO = Media.builder("audio")
            .payloadType(PayloadType.builder(111, "opus").clockrate(48000).channels(2)
                    .parameter("minptime", "10").parameter("useinbandfec", "1").rtcpFb("transport-cc").build())
            .payloadType(PayloadType.builder(126, "telephone-event").clockrate(8000).build())
            .rtpHdrExt(1, "urn:ietf:params:rtp-hdrext:ssrc-audio-level").rtpHdrExt(10, MID).rtpHdrExt(5, TWCC)
            .extmapAllowMixed(true).build();
    private static final Media VIDEO = Media.builder("video")
            .payloadType(video(100, "VP8").rtcpFb("transport-cc").build())
            .payloadType(video(101, "VP9").rtcpFb("transport-cc").build())
            .payloadType(rtx(96, 100)).payloadType(rtx(97, 101))
            .rtpHdrExt(10, MID).rtpHdrExt(3, "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time")
            .rtpHdrExt(5, TWCC).extmapAllowMixed(true).build();

    private static PayloadType.Builder video(int id, String name) {
        return PayloadType.builder(id, name).clockrate(90000).rtcpFb("ccm", "fir").rtcpFb("nack").rtcpFb("nack", "pli");
    }

    private static PayloadType rtx(int id, int apt) {
        return PayloadType.builder(id, "rtx").clockrate(90000).parameter("apt", Integer.toString(apt))
                .rtcpFb("ccm", "fir").rtcpFb("nack").rtcpFb("nack", "pli").build();
    }

    static Media audio() { return AUDIO; }
    static Media video() { return VIDEO; }
}
