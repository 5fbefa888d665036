package io.focus.core.colibri;

import java.util.Locale;
import java.util.Objects;
import org.jivesoftware.smack.packet.ExtensionElement;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.util.XmlStringBuilder;

/**
 * {@code <error xmlns="jitsi:colibri2" reason="..."/>}, which a bridge puts inside the standard XMPP
 * {@code <error>} of a failed Colibri2 request. An absent or unrecognised reason is {@link Reason#UNKNOWN}; the
 * wire value is kept in {@link #rawReason()}.
 */
public final class Colibri2Error implements ExtensionElement {
    public static final String ELEMENT = "error";
    public static final String NAMESPACE = Namespaces.COLIBRI2;

    public enum Reason {
        CONFERENCE_NOT_FOUND,
        CONFERENCE_ALREADY_EXISTS,
        FEATURE_NOT_IMPLEMENTED,
        GRACEFUL_SHUTDOWN,
        UNKNOWN_ENDPOINT,
        UNSPECIFIED,
        /** Missing, truncated or a reason this focus does not know. */
        UNKNOWN;

        /** The lower-case wire form, e.g. {@code conference_not_found}; null for UNKNOWN. */
        public String wireValue() {
            return this == UNKNOWN ? null : name().toLowerCase(Locale.ROOT);
        }

        public static Reason fromWire(String value) {
            if (value == null) {
                return UNKNOWN;
            }
            for (Reason r : values()) {
                if (r != UNKNOWN && r.wireValue().equals(value.trim().toLowerCase(Locale.ROOT))) {
                    return r;
                }
            }
            return UNKNOWN;
        }
    }

    private final Reason reason;
    private final String rawReason;

    public Colibri2Error(Reason reason) {
        this(Objects.requireNonNull(reason, "reason"), reason.wireValue());
    }

    private Colibri2Error(Reason reason, String rawReason) {
        this.reason = reason;
        this.rawReason = rawReason;
    }

    /** From the wire value; never fails. */
    public static Colibri2Error fromWire(String rawReason) {
        return new Colibri2Error(Reason.fromWire(rawReason), rawReason);
    }

    public Reason reason() { return reason; }
    /** The reason attribute as received (null if absent). */
    public String rawReason() { return rawReason; }

    @Override public String getElementName() { return ELEMENT; }
    @Override public String getNamespace() { return NAMESPACE; }

    @Override
    public XmlStringBuilder toXML(XmlEnvironment enclosingNamespace) {
        XmlStringBuilder xml = new XmlStringBuilder(this, enclosingNamespace);
        xml.optAttribute("reason", rawReason);
        return xml.closeEmptyElement();
    }

    @Override
    public String toString() {
        return "Colibri2Error{" + reason + (reason == Reason.UNKNOWN && rawReason != null ? " '" + rawReason + "'" : "")
                + "}";
    }
}
