package io.focus.app.config;

/**
 * Configuration that cannot be used. The message is one line an operator can act on: the key, the value (never a
 * secret), where it came from and what is expected.
 */
public final class ConfigError extends Exception {
    private final String key;

    public ConfigError(String key, String message) {
        super(message);
        this.key = key;
    }

    public ConfigError(String key, String message, Throwable cause) {
        super(message, cause);
        this.key = key;
    }

    /** The offending key (HOCON path or legacy property name), or the file for an unreadable file. */
    public String key() { return key; }

    /** {@code KEY = 'VALUE' (ORIGIN): expected WHAT}. */
    static ConfigError bad(String key, Object value, String origin, String expected) {
        String shown = ConfigLoader.isSecret(key) ? "********" : String.valueOf(value).replaceAll("\\s*\\n\\s*", " ");
        return new ConfigError(key, key + " = '" + shown + "'" + (origin == null ? "" : " (" + origin + ")")
                + ": expected " + expected);
    }

    static ConfigError missing(String key, String expected) {
        return new ConfigError(key, key + " is not set: expected " + expected);
    }
}
