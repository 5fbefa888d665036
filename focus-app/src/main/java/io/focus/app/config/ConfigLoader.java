package io.focus.app.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Loads the focus's configuration the way a Jicofo operator expects. From lowest to highest precedence:
 * <ol>
 *   <li>the defaults: every module's {@code reference.conf};</li>
 *   <li>the shell-style {@code config} next to the config file ({@code /etc/jitsi/jicofo/config}:
 *       {@code JICOFO_HOSTNAME}, {@code JICOFO_HOST}, {@code JICOFO_AUTH_DOMAIN}, {@code JICOFO_AUTH_USER},
 *       {@code JICOFO_AUTH_PASSWORD}). It only fills in what {@code jicofo.conf} leaves unset, exactly what Jicofo's
 *       Debian postinst does when it copies these values into {@code jicofo.conf};</li>
 *   <li>the HOCON file ({@code --config}, {@code FOCUS_CONFIG}, {@code -Dconfig.file}, default
 *       {@code /etc/jitsi/jicofo/jicofo.conf}: {@link #configPath});</li>
 *   <li>the legacy {@code sip-communicator.properties} next to the config file: legacy values win, as in Jicofo;</li>
 *   <li>explicit overrides (the JVM's {@code -Dkey=value} system properties, as Typesafe Config and Jicofo do).</li>
 * </ol>
 * The result is validated by the given validators; any problem is one {@link ConfigError}. What is accepted but not
 * done as asked (a key nobody reads, Jibri or Jigasi settings...) is a warning ({@link ParityWarnings}).
 */
public final class ConfigLoader {
    public static final Path DEFAULT_CONFIG = Path.of("/etc/jitsi/jicofo/jicofo.conf");
    public static final String LEGACY_FILE = "sip-communicator.properties";
    public static final String SHELL_FILE = "config";

    private final List<ConfigValidator> validators;
    private final Config overrides;

    public ConfigLoader(List<ConfigValidator> validators, Config overrides) {
        this.validators = List.copyOf(validators);
        this.overrides = overrides;
    }

    /** The standard validators, no overrides. */
    public static ConfigLoader standard() {
        return new ConfigLoader(ConfigValidators.standard(), ConfigFactory.empty());
    }

    /**
     * Which file to read: the argument, else {@code FOCUS_CONFIG}, else the JVM system property {@code config.file}
     * (how Jicofo is told where its {@code jicofo.conf} is: {@code -Dconfig.file=...} in {@code JAVA_SYS_PROPS} of
     * {@code /etc/jitsi/jicofo/config}), else the default.
     */
    public static Path configPath(String argument, Map<String, String> env, String configFileProperty) {
        if (argument != null && !argument.isBlank()) {
            return Path.of(argument);
        }
        String fromEnv = env.get("FOCUS_CONFIG");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Path.of(fromEnv);
        }
        if (configFileProperty != null && !configFileProperty.isBlank()) {
            return Path.of(configFileProperty);
        }
        return DEFAULT_CONFIG;
    }

    public LoadedConfig load(Path file) throws ConfigError {
        List<String> sources = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new ConfigError(file.toString(), "configuration file " + file + " is "
                    + (Files.exists(file) ? "not readable by this user" : "missing")
                    + ": expected a readable HOCON file (--config FILE, FOCUS_CONFIG or -Dconfig.file)");
        }
        Path dir = file.toAbsolutePath().getParent();

        // explicit class loader: reloads run on threads with no context class loader (made by the signal thread)
        Config reference = ConfigFactory.defaultReference(ConfigLoader.class.getClassLoader());

        Config shell = ConfigFactory.empty();
        Path shellFile = dir.resolve(SHELL_FILE);
        if (Files.exists(shellFile)) {
            requireReadable(shellFile);
            try {
                shell = fromShell(ShellConfig.read(shellFile), shellFile.toString());
            } catch (IOException | IllegalArgumentException e) {
                throw new ConfigError(shellFile.toString(), "cannot read " + shellFile + ": " + e.getMessage());
            }
            sources.add(shellFile.toString());
        }

        Config hocon;
        try {
            hocon = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
        } catch (ConfigException.Parse e) {
            throw new ConfigError(file.toString(), "cannot parse " + e.getMessage().replace('\n', ' ')
                    + ": expected HOCON (see /etc/jitsi/jicofo/jicofo.conf.sample)");
        } catch (ConfigException e) {
            throw new ConfigError(file.toString(), "cannot read " + file + ": " + e.getMessage().replace('\n', ' '));
        }
        sources.add(file.toString());

        Config merged = hocon.withFallback(shell).withFallback(reference);

        Path legacyFile = dir.resolve(LEGACY_FILE);
        if (Files.exists(legacyFile)) {
            requireReadable(legacyFile);
            try {
                LegacyProperties legacy = LegacyProperties.read(legacyFile);
                Config legacyConfig = legacy.toConfig(resolve(merged));
                merged = legacyConfig.withFallback(merged);
                warnings.addAll(legacy.warnings());
            } catch (IOException | IllegalArgumentException e) {
                throw new ConfigError(legacyFile.toString(), "cannot read " + legacyFile + ": " + e.getMessage());
            }
            sources.add(legacyFile.toString());
        }

        Config resolved = resolve(overrides.withFallback(merged));
        for (ConfigValidator v : validators) {
            v.validate(resolved);
        }
        OpenAdminCheck.warning(resolved).ifPresent(warnings::add);
        warnings.addAll(ParityWarnings.of(resolved));
        return new LoadedConfig(resolved, sources, warnings);
    }

    private static Config resolve(Config c) throws ConfigError {
        try {
            return c.resolve();
        } catch (ConfigException.UnresolvedSubstitution e) {
            throw new ConfigError(null, "unresolved substitution: " + e.getMessage() + ": expected a key that is set");
        }
    }

    private static void requireReadable(Path f) throws ConfigError {
        if (!Files.isReadable(f)) {
            throw new ConfigError(f.toString(), f + " exists but is not readable by this user: expected it readable (owner jicofo, group jitsi)");
        }
    }

    /**
     * The shell file's values as HOCON, the way Jicofo's packaging used them: {@code JICOFO_HOSTNAME} is the XMPP
     * domain (and gives the postinst's defaults for the auth domain, client proxy and brewery), {@code JICOFO_HOST}
     * the server to connect to.
     */
    static Config fromShell(Map<String, String> vars, String origin) {
        Map<String, Object> out = new TreeMap<>();
        String host = nonBlank(vars.get("JICOFO_HOSTNAME"));
        String authDomain = nonBlank(vars.get("JICOFO_AUTH_DOMAIN"));
        if (host != null) {
            out.put("jicofo.xmpp.client.xmpp-domain", host);
            out.put("jicofo.xmpp.client.client-proxy", "focus." + host);
            out.put("jicofo.bridge.brewery-jid", "JvbBrewery@internal.auth." + host);
            if (authDomain == null) {
                authDomain = "auth." + host;
            }
        }
        if (authDomain != null) {
            out.put("jicofo.xmpp.client.domain", authDomain);
        }
        String server = nonBlank(vars.get("JICOFO_HOST"));
        if (server != null) {
            out.put("jicofo.xmpp.client.hostname", server);
        }
        String user = nonBlank(vars.get("JICOFO_AUTH_USER"));
        if (user != null) {
            out.put("jicofo.xmpp.client.username", user);
        }
        String password = nonBlank(vars.get("JICOFO_AUTH_PASSWORD"));
        if (password != null) {
            out.put("jicofo.xmpp.client.password", password);
        }
        Config c = ConfigFactory.empty();
        for (Map.Entry<String, Object> e : out.entrySet()) {
            c = c.withValue(e.getKey(), ConfigValueFactory.fromAnyRef(e.getValue(), origin + " (shell config)"));
        }
        return c;
    }

    private static String nonBlank(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    /** True for keys whose values are never shown (passwords, secrets, tokens). */
    public static boolean isSecret(String key) {
        String k = key == null ? "" : key.toLowerCase(Locale.ROOT);
        return k.contains("password") || k.contains("secret") || k.endsWith("token") || k.endsWith("_pass");
    }

    /** The {@code jicofo} and {@code focus} trees as HOCON, with every secret replaced by {@code ********}. */
    public static String renderEffective(Config config) {
        StringBuilder sb = new StringBuilder();
        for (String root : List.of("jicofo", "focus")) {
            if (!config.hasPath(root)) {
                continue;
            }
            Config sub = masked(config.getConfig(root).atPath(root));
            sb.append(sub.root().render(ConfigRenderOptions.defaults().setOriginComments(false).setJson(false)
                    .setComments(false).setFormatted(true)));
        }
        return sb.toString();
    }

    static Config masked(Config c) {
        Config out = c;
        for (Map.Entry<String, ConfigValue> e : c.entrySet()) {
            if (isSecret(e.getKey())) {
                String v = String.valueOf(e.getValue().unwrapped());
                out = out.withValue(e.getKey(), ConfigValueFactory.fromAnyRef(v.isEmpty() ? "" : "********"));
            }
        }
        return out;
    }
}
