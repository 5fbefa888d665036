package io.focus.core.jingle;

/**
 * Per-participant switches of an offer, from what the participant advertises (disco#info features) as Jicofo does:
 * audio/video/SCTP contents, transport-cc, REMB, RTX, opus RED. {@link #DEFAULT} is what a participant gets when
 * it advertises nothing special (Jicofo's defaults: no REMB, everything else on).
 */
public record OfferOptions(boolean audio, boolean video, boolean sctp, boolean tcc, boolean remb, boolean rtx,
                           boolean opusRed) {
    public static final OfferOptions DEFAULT = new OfferOptions(true, true, true, true, false, true, true);

    public OfferOptions withSctp(boolean v) { return new OfferOptions(audio, video, v, tcc, remb, rtx, opusRed); }
    public OfferOptions withRemb(boolean v) { return new OfferOptions(audio, video, sctp, tcc, v, rtx, opusRed); }
    public OfferOptions withRtx(boolean v) { return new OfferOptions(audio, video, sctp, tcc, remb, v, opusRed); }
    public OfferOptions withTcc(boolean v) { return new OfferOptions(audio, video, sctp, v, remb, rtx, opusRed); }
}
