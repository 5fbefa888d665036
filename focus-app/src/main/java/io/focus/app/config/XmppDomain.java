package io.focus.app.config;

import com.typesafe.config.Config;

/**
 * The sample config's rule (as Jicofo's postinst writes it): {@code jicofo.xmpp.client.domain}, the domain the focus
 * logs in to, defaults to {@code xmpp-domain}.
 */
public final class XmppDomain {
    private XmppDomain() {}

    public static Config withDomainDefault(Config config) {
        String d = "jicofo.xmpp.client.domain";
        String x = "jicofo.xmpp.client.xmpp-domain";
        if (!config.hasPath(d) && config.hasPath(x)) {
            return config.withValue(d, config.getValue(x));
        }
        return config;
    }
}
