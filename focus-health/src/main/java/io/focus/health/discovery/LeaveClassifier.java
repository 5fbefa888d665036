package io.focus.health.discovery;

import java.time.Duration;
import java.util.Locale;
import org.jivesoftware.smackx.muc.packet.MUCUser;

/**
 * What a brewery occupant's unavailable presence means. What Prosody 0.12 sends (BreweryLeaveShapesIntegrationTest):
 * a clean leave and a crash (RST or FIN) carry no status text; when Prosody stops it closes each session first,
 * "Disconnected: Received SIGTERM". A stream-management session Prosody drops after hibernation is the bridge dead
 * (status 333, "Kicked: recipient unavailable", real-call d-007).
 */
final class LeaveClassifier {
    private static final int STATUS_SYSTEM_SHUTDOWN = 332;

    private LeaveClassifier() {}

    /**
     * True when an occupant's unavailable presence looks like the server going away rather than the bridge: MUC status
     * 332 (system shutdown) or 333 (technical reasons), or a status text about a shutdown.
     */
    static boolean looksLikeServerShutdown(MUCUser mucUser, String statusText) {
        if (mucUser != null && mucUser.getStatus().contains(MUCUser.Status.REMOVED_FOR_TECHNICAL_REASONS_333)
                && looksLikeDeadSession(statusText)) {
            // not the server: the bridge's own session is gone (real-call d-007)
            return false;
        }
        if (mucUser != null && (mucUser.getStatus().contains(MUCUser.Status.create(STATUS_SYSTEM_SHUTDOWN))
                || mucUser.getStatus().contains(MUCUser.Status.REMOVED_FOR_TECHNICAL_REASONS_333))) {
            return true;
        }
        if (statusText == null) {
            return false;
        }
        String t = statusText.toLowerCase(Locale.ROOT);
        // Prosody 0.12 on SIGTERM/SIGINT closes every session first: "Disconnected: Received SIGTERM" (captured in
        // BreweryLeaveShapesIntegrationTest); "system-shutdown" / "shutting down" from other stop paths.
        return t.contains("shutdown") || t.contains("shutting down") || t.contains("received sig");
    }

    /**
     * True for the text Prosody gives when the bridge's own connection died ({@code "Disconnected: closed"},
     * {@code "Disconnected: Connection reset by peer"}, ...): a crash, final at once like a plain leave. Only called
     * for leaves that {@link #looksLikeServerShutdown} did not claim.
     */
    static boolean looksLikeOwnConnectionLoss(String statusText) {
        return statusText.strip().toLowerCase(Locale.ROOT).startsWith("disconnected:") || looksLikeDeadSession(statusText);
    }

    /**
     * Prosody's text when it drops an occupant whose session can no longer receive: with stream management, a bridge
     * killed with SIGKILL hibernates for {@code smacks_hibernation_time}, then Prosody ends the session and the room
     * removes the occupant with status 333 and {@code "Kicked: recipient unavailable"} (real-call d-007). That is the
     * bridge dead, not the server stopping: final at once, no reconnect grace.
     */
    static boolean looksLikeDeadSession(String statusText) {
        return statusText != null && statusText.strip().toLowerCase(Locale.ROOT).startsWith("kicked: recipient unavailable");
    }

    /** Why the bridge is gone, for the log and the REMOVED event: kicked, banned or left, with the status text. */
    static String reason(MUCUser mucUser, String statusText) {
        String reason;
        if (mucUser != null && mucUser.getStatus().contains(MUCUser.Status.KICKED_307)) {
            reason = "kicked from the brewery";
        } else if (mucUser != null && mucUser.getStatus().contains(MUCUser.Status.BANNED_301)) {
            reason = "banned from the brewery";
        } else {
            reason = "left the brewery";
        }
        return statusText != null && !statusText.isBlank() ? reason + " (" + statusText + ")" : reason;
    }

    /**
     * How long to hold a leave the server did not claim before it is final. A leave with some server-made text may
     * still be a stop we do not recognise: {@code leave-confirm-delay}; a plain leave or a crash waits only
     * {@code plain-leave-delay} (0: at once).
     */
    static Duration confirmDelay(String statusText, BrewerySettings settings) {
        return statusText == null || statusText.isBlank() || looksLikeOwnConnectionLoss(statusText)
                ? settings.plainLeaveDelay() : settings.leaveConfirmDelay();
    }

    /** The MUC status codes of a presence, for the log: {@code " (status 110 332)"}, or empty. */
    static String codes(MUCUser mucUser) {
        if (mucUser == null || mucUser.getStatus().isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder(" (status");
        for (MUCUser.Status s : mucUser.getStatus()) {
            sb.append(' ').append(s.getCode());
        }
        return sb.append(')').toString();
    }
}
