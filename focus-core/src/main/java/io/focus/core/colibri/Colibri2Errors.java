package io.focus.core.colibri;

import org.jivesoftware.smack.packet.ExtensionElement;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.jivesoftware.smack.packet.StanzaError;

/**
 * Reads a bridge's reply to a Colibri2 request ({@link #textOf}, {@link #reasonOf}, ...). {@link AllocationOutcome} and
 * {@link #classifyAllocation} describe Jicofo's allocation error table (reference §5) for comparison; the focus does
 * not act on them: its own table, which never fails a bridge for a request it refused (feature-not-implemented for
 * SCTP, ...), is {@code io.focus.conference.AllocationErrorPolicy}.
 */
public final class Colibri2Errors {
    private Colibri2Errors() {}

    /**
     * What an allocation reply means for the bridge and the participant. {@code markNonOperational}: the bridge
     * becomes non-operational; {@code markGracefulShutdown}: the bridge is treated as in graceful shutdown;
     * {@code removeBridge}: expire the conference's session on that bridge and re-invite everyone on it
     * (which runs a fresh selection). {@code participantFails}: this participant's invite ends with no retry.
     */
    public enum AllocationOutcome {
        /** A conference-modified result. (Whether the endpoint's transport is in it is the allocator's check.) */
        SUCCESS(false, false, false, false),
        /** No reply within the reply timeout. */
        TIMEOUT(true, false, true, false),
        /** {@code bad-request}: our request was wrong; the participant fails, nothing is retried. */
        BAD_REQUEST(false, false, false, true),
        /** {@code item-not-found} + {@code conference_not_found}: out of sync with the bridge. */
        CONFERENCE_NOT_FOUND(false, false, true, false),
        /** {@code item-not-found} without a colibri2 reason (e.g. Prosody: the bridge left the MUC). */
        ITEM_NOT_FOUND(false, false, false, true),
        /** {@code conflict} (with or without {@code conference_already_exists}). */
        CONFLICT(false, false, true, false),
        /** {@code service-unavailable} + {@code graceful_shutdown}. */
        GRACEFUL_SHUTDOWN(false, true, true, false),
        /** {@code service-unavailable} without that reason, or any other error. */
        OTHER_ERROR(true, false, true, false),
        /** A result that is not a conference-modified. */
        WRONG_RESPONSE_TYPE(true, false, false, true);

        public final boolean markNonOperational;
        public final boolean markGracefulShutdown;
        public final boolean removeBridge;
        public final boolean participantFails;

        AllocationOutcome(boolean markNonOperational, boolean markGracefulShutdown, boolean removeBridge,
                          boolean participantFails) {
            this.markNonOperational = markNonOperational;
            this.markGracefulShutdown = markGracefulShutdown;
            this.removeBridge = removeBridge;
            this.participantFails = participantFails;
        }
    }

    /** The {@code jitsi:colibri2} error element of an error reply, or null (not an error, or no such element). */
    public static Colibri2Error colibri2ErrorOf(IQ reply) {
        if (reply == null || reply.getType() != IQ.Type.error || reply.getError() == null) {
            return null;
        }
        ExtensionElement e = reply.getError().getExtension(Colibri2Error.ELEMENT, Colibri2Error.NAMESPACE);
        if (e instanceof Colibri2Error c) {
            return c;
        }
        if (e instanceof StandardExtensionElement s) { // providers not registered: still read it
            return Colibri2Error.fromWire(s.getAttributeValue("reason"));
        }
        return null;
    }

    /**
     * The colibri2 reason of an error reply: null when the reply is not an error or has no colibri2 error
     * element; {@link Colibri2Error.Reason#UNKNOWN} when the element's reason is missing or unknown.
     */
    public static Colibri2Error.Reason reasonOf(IQ reply) {
        Colibri2Error e = colibri2ErrorOf(reply);
        return e == null ? null : e.reason();
    }

    /** The standard error condition of an error reply, or null. */
    public static StanzaError.Condition conditionOf(IQ reply) {
        return reply == null || reply.getType() != IQ.Type.error || reply.getError() == null
                ? null : reply.getError().getCondition();
    }

    /** The error's descriptive text (e.g. "In graceful shutdown"), wherever the sender put it, or null. */
    public static String textOf(IQ reply) {
        if (reply == null || reply.getError() == null) {
            return null;
        }
        String t = reply.getError().getDescriptiveText();
        if (t != null) {
            return t;
        }
        // Jitsi's Smack writes <text> without the stanzas namespace; it then arrives as an unknown extension.
        ExtensionElement e = reply.getError().getExtension("text", "jabber:client");
        return e instanceof StandardExtensionElement s ? s.getText() : null;
    }

    /** Classifies the reply to an allocation (endpoint create) request; {@code null} means it timed out. */
    public static AllocationOutcome classifyAllocation(IQ reply) {
        if (reply == null) {
            return AllocationOutcome.TIMEOUT;
        }
        if (reply.getType() != IQ.Type.error) {
            return reply instanceof ConferenceModifiedIQ && reply.getType() == IQ.Type.result
                    ? AllocationOutcome.SUCCESS : AllocationOutcome.WRONG_RESPONSE_TYPE;
        }
        StanzaError.Condition condition = conditionOf(reply);
        Colibri2Error.Reason reason = reasonOf(reply);
        if (condition == null) {
            return AllocationOutcome.OTHER_ERROR;
        }
        return switch (condition) {
            case bad_request -> AllocationOutcome.BAD_REQUEST;
            case item_not_found -> reason == Colibri2Error.Reason.CONFERENCE_NOT_FOUND
                    ? AllocationOutcome.CONFERENCE_NOT_FOUND : AllocationOutcome.ITEM_NOT_FOUND;
            case conflict -> AllocationOutcome.CONFLICT;
            case service_unavailable -> reason == Colibri2Error.Reason.GRACEFUL_SHUTDOWN
                    ? AllocationOutcome.GRACEFUL_SHUTDOWN : AllocationOutcome.OTHER_ERROR;
            default -> AllocationOutcome.OTHER_ERROR;
        };
    }

    /**
     * For a failed non-allocation request (transport/source update, expire, relay update): the endpoint id when
     * the bridge answered {@code unknown_endpoint} naming it (Jicofo then fails only that endpoint), else null
     * (the whole session failed). The id is looked for in the error element, then in the echoed request.
     */
    public static String unknownEndpointId(IQ reply) {
        if (reasonOf(reply) != Colibri2Error.Reason.UNKNOWN_ENDPOINT) {
            return null;
        }
        ExtensionElement e = reply.getError().getExtension("endpoint", Namespaces.COLIBRI2);
        if (e instanceof StandardExtensionElement s && s.getAttributeValue("id") != null) {
            return s.getAttributeValue("id");
        }
        if (reply instanceof ConferenceModifyIQ echo && echo.endpoints().size() == 1) {
            return echo.endpoints().get(0).id();
        }
        return null;
    }
}
