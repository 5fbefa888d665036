package io.focus.core.colibri;

import io.focus.core.xmpp.Attrs;
import io.focus.core.xmpp.StanzaParseException;
import io.focus.core.xmpp.XmlNode;
import java.util.Objects;

/**
 * {@code <fingerprint xmlns="urn:xmpp:jingle:apps:dtls:0" hash setup [required] [cryptex]>AB:CD:...</fingerprint>}.
 * {@code required} and {@code cryptex} are null when absent.
 */
public record DtlsFingerprint(String hash, String setup, Boolean required, Boolean cryptex, String fingerprint) {
    public DtlsFingerprint {
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(fingerprint, "fingerprint");
    }

    public DtlsFingerprint(String hash, String setup, String fingerprint) {
        this(hash, setup, null, null, fingerprint);
    }

    /** The same fingerprint with another DTLS role (Jicofo rewrites a relay's actpass to active/passive). */
    public DtlsFingerprint withSetup(String newSetup) {
        return new DtlsFingerprint(hash, newSetup, required, cryptex, fingerprint);
    }

    public XmlNode toNode() {
        return XmlNode.builder("fingerprint", Namespaces.DTLS).attr("hash", hash).attr("setup", setup)
                .attr("required", required).attr("cryptex", cryptex).text(fingerprint).build();
    }

    public static DtlsFingerprint fromNode(XmlNode n) throws StanzaParseException {
        String value = n.text().trim();
        if (value.isEmpty()) {
            throw new StanzaParseException("<fingerprint> has no fingerprint value");
        }
        return new DtlsFingerprint(Attrs.required(n, "hash"), n.attr("setup"), Attrs.optBool(n, "required"),
                Attrs.optBool(n, "cryptex"), value);
    }
}
