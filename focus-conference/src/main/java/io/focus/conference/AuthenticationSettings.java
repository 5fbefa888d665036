package io.focus.conference;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.util.Locale;

/**
 * Jicofo's "secure domain": {@code jicofo.authentication.*}. When enabled, only users of the authenticated domain may
 * create a conference; anybody else (e.g. anonymous users on {@code guest.<host>}) may only request a conference that
 * already exists, and is refused with {@code not-authorized} (HTTP 403) otherwise.
 *
 * @param enabled {@code jicofo.authentication.enabled} (false)
 * @param type {@code jicofo.authentication.type}: {@code XMPP} (users log in on the authenticated XMPP domain) or
 *     {@code JWT} (the token is checked by Prosody; the authenticated domain is the same). Jicofo's removed
 *     {@code SHIBBOLETH} is refused at start-up.
 * @param domain the authenticated domain: {@code jicofo.authentication.login-url} when set (for both types Jicofo
 *     takes the authenticated domain from it), else {@code jicofo.xmpp.client.xmpp-domain}; never null when enabled
 */
public record AuthenticationSettings(boolean enabled, Type type, String domain) {
    public enum Type { XMPP, JWT }

    public static final AuthenticationSettings DISABLED = new AuthenticationSettings(false, Type.XMPP, null);

    public AuthenticationSettings {
        if (type == null) {
            throw new IllegalArgumentException("jicofo.authentication.type must be XMPP or JWT");
        }
        domain = domain == null || domain.isBlank() ? null : domain.trim().toLowerCase(Locale.ROOT);
        if (enabled && domain == null) {
            throw new IllegalArgumentException("jicofo.authentication.login-url (the authenticated domain) or "
                    + "jicofo.xmpp.client.xmpp-domain must be set when jicofo.authentication.enabled = true");
        }
    }

    /** Users log in with XMPP, on {@code domain}. */
    public static AuthenticationSettings xmpp(String domain) {
        return new AuthenticationSettings(true, Type.XMPP, domain);
    }

    /** Jicofo's {@code externalAuth} conference property: the login happens outside XMPP (JWT). */
    public boolean external() {
        return enabled && type == Type.JWT;
    }

    /**
     * True when the requester (a full or bare JID, as unwrapped from the client proxy) is an authenticated user: its
     * domain is the authenticated domain. False for null and for any other domain (guests).
     */
    public boolean isAuthenticated(String requesterJid) {
        if (!enabled || requesterJid == null) {
            return false;
        }
        String s = requesterJid.trim();
        int slash = s.indexOf('/');
        String bare = slash < 0 ? s : s.substring(0, slash);
        int at = bare.indexOf('@');
        String host = at < 0 ? bare : bare.substring(at + 1);
        return at > 0 && host.toLowerCase(Locale.ROOT).equals(domain);
    }

    /** Reads {@code jicofo.authentication.*} from a config that has the reference defaults. */
    static AuthenticationSettings fromConfig(Config c) {
        if (!c.getBoolean("jicofo.authentication.enabled")) {
            return DISABLED;
        }
        String t = c.getString("jicofo.authentication.type").trim().toUpperCase(Locale.ROOT);
        Type type;
        try {
            type = Type.valueOf(t);
        } catch (IllegalArgumentException e) {
            throw new ConfigException.BadValue("jicofo.authentication.type",
                    "must be XMPP or JWT (SHIBBOLETH is not supported), got " + t);
        }
        String loginUrl = c.hasPath("jicofo.authentication.login-url")
                ? c.getString("jicofo.authentication.login-url") : null;
        String domain = loginUrl != null && !loginUrl.isBlank() ? hostOf(loginUrl)
                : c.hasPath("jicofo.xmpp.client.xmpp-domain") ? c.getString("jicofo.xmpp.client.xmpp-domain") : null;
        try {
            return new AuthenticationSettings(true, type, domain);
        } catch (IllegalArgumentException e) {
            throw new ConfigException.BadValue("jicofo.authentication.login-url", e.getMessage());
        }
    }

    /** {@code meet.example.com}, or the host of a URL an operator wrote instead. */
    private static String hostOf(String loginUrl) {
        String s = loginUrl.trim();
        int scheme = s.indexOf("://");
        if (scheme >= 0) {
            s = s.substring(scheme + 3);
        }
        int end = s.length();
        for (char ch : new char[] {'/', ':', '?'}) {
            int i = s.indexOf(ch);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        return s.substring(0, end);
    }
}
