package io.focus.sim.prosody;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Prosody configuration a test server runs with: loopback only, its own ports, the virtual hosts and components
 * of a Jitsi Meet deployment (the main domain, {@code guest.} anonymous, {@code auth.}, the brewery and conference
 * MUCs, pubsub for legacy bridge stats), stream management and TLS as the {@link ProsodyOptions} say, and the
 * external components they name.
 */
final class ProsodyConfigFile {
    private ProsodyConfigFile() { }

    /**
     * @param dir the server's directory (pid file, data, log)
     * @param componentPort the external components' port, or 0 for none
     * @param root whether Prosody runs as root (it refuses to, unless told)
     */
    static String render(ProsodyOptions options, Path dir, Path certs, int port, int componentPort, boolean root) {
        String d = options.domain();
        StringBuilder c = new StringBuilder();
        c.append("-- written by io.focus.sim.prosody.ProsodyServer\n");
        if (root) {
            c.append("run_as_root = true\n");
        }
        c.append("pidfile = ").append(lua(dir.resolve("prosody.pid"))).append('\n');
        c.append("data_path = ").append(lua(dir.resolve("data"))).append('\n');
        c.append("certificates = ").append(lua(certs)).append('\n');
        c.append("log = { { levels = { min = \"info\" }, to = \"file\", filename = ")
                .append(lua(dir.resolve("prosody.log"))).append(" } }\n");
        c.append("interfaces = { \"127.0.0.1\" }\n");
        c.append("c2s_ports = { ").append(port).append(" }\n");
        c.append("c2s_direct_tls_ports = { }\n");
        if (componentPort > 0) {
            // not Prosody's default 5347: tests run side by side, each server on ports of its own
            c.append("component_ports = { ").append(componentPort).append(" }\n");
            c.append("component_interfaces = { \"127.0.0.1\" }\n");
        }
        List<String> modules = new ArrayList<>(List.of("roster", "saslauth", "disco", "ping", "posix"));
        List<String> disabled = new ArrayList<>(List.of("s2s", "http", "admin_shell", "offline", "c2s_limits"));
        if (options.tls()) {
            modules.add("tls");
            c.append("c2s_require_encryption = true\n");
            c.append("allow_unencrypted_plain_auth = false\n");
            c.append("ssl = { certificate = ").append(lua(certs.resolve("meet.crt")))
                    .append("; key = ").append(lua(certs.resolve("meet.key"))).append("; }\n");
        } else {
            disabled.add("tls");
            c.append("c2s_require_encryption = false\n");
            c.append("allow_unencrypted_plain_auth = true\n");
        }
        if (options.streamManagement()) {
            modules.add("smacks");
        }
        c.append("modules_enabled = { ").append(luaList(modules)).append(" }\n");
        c.append("modules_disabled = { ").append(luaList(disabled)).append(" }\n");
        c.append("admins = { ").append(luaList(options.admins())).append(" }\n");
        c.append(options.extraGlobalConfig()).append('\n');
        c.append("VirtualHost \"").append(d).append("\"\n    authentication = \"internal_hashed\"\n");
        c.append("VirtualHost \"guest.").append(d).append("\"\n    authentication = \"anonymous\"\n");
        c.append("VirtualHost \"auth.").append(d).append("\"\n    authentication = \"internal_hashed\"\n");
        if (options.authHibernationTime() != null) {
            c.append("    smacks_hibernation_time = ").append(options.authHibernationTime().toSeconds()).append('\n');
        }
        c.append("Component \"internal.auth.").append(d).append("\" \"muc\"\n")
                .append("    storage = \"memory\"\n    muc_room_locking = false\n");
        c.append("Component \"conference.").append(d).append("\" \"muc\"\n")
                .append("    storage = \"memory\"\n    muc_room_locking = false\n");
        c.append("Component \"pubsub.").append(d).append("\" \"pubsub\"\n")
                .append("    storage = \"memory\"\n    autocreate_on_publish = true\n    autocreate_on_subscribe = true\n    expose_publisher = true\n")
                // legacy setups make the bridges admins so they may create and publish to the stats node
                .append("    admins = { ").append(luaList(pubsubAdmins(options, d))).append(" }\n");
        options.externalComponents().forEach((host, secret) -> c.append("Component \"").append(host).append("\"\n")
                .append("    component_secret = \"").append(secret).append("\"\n"));
        return c.toString();
    }

    private static List<String> pubsubAdmins(ProsodyOptions options, String d) {
        List<String> a = new ArrayList<>(options.admins());
        if (!a.contains("jvb@auth." + d)) {
            a.add("jvb@auth." + d);
        }
        return a;
    }

    private static String lua(Path p) {
        return "\"" + p.toAbsolutePath().toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String luaList(List<String> items) {
        StringBuilder sb = new StringBuilder();
        for (String s : items) {
            sb.append('"').append(s.replace("\"", "")).append("\"; ");
        }
        return sb.toString();
    }

}
