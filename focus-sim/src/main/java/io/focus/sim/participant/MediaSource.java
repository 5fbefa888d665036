package io.focus.sim.participant;

/**
 * One SSRC of an endpoint ({@code <source xmlns='urn:xmpp:jingle:apps:rtp:ssma:0'>} or a JSON-encoded source).
 *
 * @param media     {@code audio} or {@code video}
 * @param name      the source name ({@code <endpoint>-a0}, {@code -v0}), may be null
 * @param msid      the {@code msid} parameter, may be null
 * @param videoType {@code camera}/{@code desktop} for video when given, else null
 */
public record MediaSource(long ssrc, String media, String name, String msid, String videoType) { }
