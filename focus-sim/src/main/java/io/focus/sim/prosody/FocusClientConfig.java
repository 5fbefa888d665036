package io.focus.sim.prosody;

/**
 * The Jicofo config lines that point a focus at a {@link ProsodyServer}: its client connection (plain TCP, as the
 * test servers offer it) and the brewery. Tests, benches and demos add what they are about on top.
 */
public final class FocusClientConfig {
    private FocusClientConfig() {}

    /** HOCON: {@code jicofo.xmpp.client} logging in as {@code username@auth.<domain>}, and the brewery JID. */
    public static String hocon(ProsodyServer server, String username, String password) {
        return String.join("\n",
                "jicofo.xmpp.client {",
                "  hostname = \"" + server.host() + "\"",
                "  port = " + server.port(),
                "  xmpp-domain = \"" + server.domain() + "\"",
                "  domain = \"" + server.authDomain() + "\"",
                "  username = \"" + username + "\"",
                "  password = \"" + password + "\"",
                "  use-tls = false",
                "}",
                "jicofo.bridge.brewery-jid = \"" + server.breweryJid() + "\"",
                "");
    }
}
