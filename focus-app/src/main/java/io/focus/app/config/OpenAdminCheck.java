package io.focus.app.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueType;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The admin API (drain, move endpoints, pins, reload...) must not be reachable from the network without a token:
 * when {@code jicofo.rest.host} binds beyond loopback and neither {@code focus.rest.token} nor
 * {@code focus.rest.token-file} is set, the configuration is refused, unless the operator sets
 * {@code focus.rest.allow-open-admin = true}, which is then reported as a warning.
 *
 * <p>Loopback is 127.0.0.0/8, ::1 and localhost, written as such: a host name is not resolved (another name for
 * the loopback address counts as open; use 127.0.0.1 or set a token).
 */
final class OpenAdminCheck {
    static final String HOST = "jicofo.rest.host";
    static final String ENABLED = "jicofo.rest.enabled";
    static final String TOKEN = "focus.rest.token";
    static final String TOKEN_FILE = "focus.rest.token-file";
    static final String ALLOW = "focus.rest.allow-open-admin";

    private static final Pattern IPV4_LOOPBACK =
            Pattern.compile("127\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)");
    private static final Pattern IPV6_LOOPBACK = Pattern.compile("(0{1,4}:){7}0{0,3}1|(0{1,4}:){1,6}:0{0,3}1|::0{0,3}1");

    private OpenAdminCheck() {}

    /** Refuses an admin API open to the network without a token and without {@code allow-open-admin}. */
    static void validate(Config c) throws ConfigError {
        if (c.getValue(HOST).valueType() != ConfigValueType.STRING) {
            throw ConfigError.bad(HOST, c.getValue(HOST).unwrapped(), c.getValue(HOST).origin().description(),
                    "a host name or address to bind the REST API to, e.g. 127.0.0.1");
        }
        if (isOpenWithoutToken(c) && !c.getBoolean(ALLOW)) {
            String host = c.getString(HOST);
            throw new ConfigError(HOST, HOST + " = '" + host + "' (" + c.getValue(HOST).origin().description()
                    + ") opens the admin API to the network without " + TOKEN + " or " + TOKEN_FILE
                    + ": expected a token (or a loopback host such as 127.0.0.1, or " + ALLOW
                    + " = true to run it open on purpose)");
        }
    }

    /** The start-up warning when the operator allowed an open admin API; empty otherwise. */
    static Optional<String> warning(Config c) {
        if (isOpenWithoutToken(c) && c.getBoolean(ALLOW)) {
            return Optional.of("the admin API on " + HOST + " = '" + c.getString(HOST)
                    + "' is open to the network without a token (" + ALLOW + " = true); anyone who can reach it can"
                    + " drain bridges, move participants and reload the configuration");
        }
        return Optional.empty();
    }

    private static boolean isOpenWithoutToken(Config c) {
        // every key has its default in focus-app's reference.conf
        return c.getBoolean(ENABLED) && !isLoopback(c.getString(HOST)) && c.getString(TOKEN).isBlank()
                && c.getString(TOKEN_FILE).isBlank();
    }

    /** 127.0.0.0/8, ::1 (also in brackets or written out) and localhost, without any name lookup. */
    static boolean isLoopback(String host) {
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.equals("localhost") || IPV4_LOOPBACK.matcher(h).matches() || IPV6_LOOPBACK.matcher(h).matches();
    }
}
