package io.focus.sim.bridge;

import java.util.LinkedHashMap;
import java.util.Map;

import io.focus.sim.xml.RawExtension;
import io.focus.sim.xml.Xml;

/**
 * The colibri stats presence extension a real JVB publishes, written from the captured
 * {@code jvb-stats-presence.xml}: the same 82 stats in the same order. Values the simulator controls are
 * overridden per bridge; the rest keep the captured idle values.
 */
public final class StatsTemplate {
    public static final String ELEMENT = "stats";
    public static final String NAMESPACE = "http://jitsi.org/protocol/colibri";

    private StatsTemplate() { }

    /** The captured stats of an idle-ish us-east bridge, in the JVB's order. */
    public static LinkedHashMap<String, String> defaults() {
        LinkedHashMap<String, String> d = new LinkedHashMap<>();
        d.put("incoming_loss", "0.0");
        d.put("outgoing_loss", "0.0");
        d.put("overall_loss", "0.0");
        d.put("endpoints_with_high_outgoing_loss", "0");
        d.put("tcc_unmatched_feedback", "0");
        d.put("local_active_endpoints", "0");
        d.put("bit_rate_download", "0");
        d.put("bit_rate_upload", "0");
        d.put("packet_rate_download", "0");
        d.put("packet_rate_upload", "0");
        d.put("rtt_aggregate", "0.0");
        d.put("num_eps_oversending", "0");
        d.put("octo_conferences", "1");
        d.put("inactive_conferences", "1");
        d.put("p2p_conferences", "1");
        d.put("endpoints", "2");
        d.put("participants", "2");
        d.put("receive_only_endpoints", "0");
        d.put("inactive_endpoints", "2");
        d.put("octo_endpoints", "1");
        d.put("endpoints_sending_audio", "0");
        d.put("endpoints_sending_video", "0");
        d.put("largest_conference", "2");
        d.put("octo_receive_bitrate", "0");
        d.put("octo_receive_packet_rate", "0");
        d.put("octo_send_bitrate", "0");
        d.put("octo_send_packet_rate", "0");
        d.put("endpoints_with_suspended_sources", "0");
        d.put("total_conferences_created", "3");
        d.put("total_conferences_completed", "2");
        d.put("total_conference_seconds", "17");
        d.put("total_participants", "3");
        d.put("total_visitors", "0");
        d.put("num_eps_no_msg_transport_after_delay", "0");
        d.put("total_relays", "7");
        d.put("num_relays_no_msg_transport_after_delay", "0");
        d.put("total_keyframes_received", "0");
        d.put("total_layering_changes_received", "0");
        d.put("total_video_stream_milliseconds_received", "0");
        d.put("stress_level", "0.0");
        d.put("conferences", "1");
        d.put("visitors", "0");
        d.put("local_endpoints", "1");
        d.put("total_data_channel_messages_received", "0");
        d.put("total_data_channel_messages_sent", "0");
        d.put("total_colibri_web_socket_messages_received", "1");
        d.put("total_colibri_web_socket_messages_sent", "2");
        d.put("total_bytes_received", "0");
        d.put("endpoints_ice_failed", "2");
        d.put("dtls_failed_endpoints", "0");
        d.put("relays_ice_failed", "0");
        d.put("dtls_failed_relays", "0");
        d.put("total_bytes_sent", "0");
        d.put("total_packets_received", "0");
        d.put("total_packets_sent", "0");
        d.put("total_bytes_received_octo", "0");
        d.put("total_bytes_sent_octo", "0");
        d.put("total_packets_received_octo", "0");
        d.put("total_packets_sent_octo", "0");
        d.put("total_dominant_speaker_changes", "0");
        d.put("preemptive_kfr_sent", "0");
        d.put("preemptive_kfr_suppressed", "0");
        d.put("total_ice_failed", "2");
        d.put("total_ice_succeeded", "1");
        d.put("total_ice_succeeded_relayed", "0");
        d.put("average_participant_stress", "0.01");
        d.put("threads", "62");
        d.put("graceful_shutdown", "false");
        d.put("shutting_down", "false");
        d.put("drain", "false");
        d.put("current_timestamp", "2026-11-21 21:59:13.934");
        d.put("relay_id", "jvb1");
        d.put("muc_clients_configured", "1");
        d.put("muc_clients_connected", "1");
        d.put("mucs_configured", "1");
        d.put("mucs_joined", "1");
        d.put("endpoints_with_spurious_remb", "0");
        d.put("healthy", "true");
        d.put("endpoints_disconnected", "0");
        d.put("endpoints_reconnected", "0");
        d.put("version", "2.3.SNAPSHOT");
        d.put("region", "us-east");
        return d;
    }

    /** {@code <stats xmlns='http://jitsi.org/protocol/colibri'><stat name value/>...</stats>}; null values are left out. */
    public static String xml(Map<String, String> stats) {
        StringBuilder b = new StringBuilder(4096);
        b.append("<stats xmlns='").append(NAMESPACE).append("'>");
        stats.forEach((k, v) -> {
            if (v != null) {
                b.append("<stat name='").append(Xml.esc(k)).append("' value='").append(Xml.esc(v)).append("'/>");
            }
        });
        b.append("</stats>");
        return b.toString();
    }

    public static RawExtension extension(Map<String, String> stats) {
        return new RawExtension(ELEMENT, NAMESPACE, xml(stats));
    }
}
