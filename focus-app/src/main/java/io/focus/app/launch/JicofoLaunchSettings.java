package io.focus.app.launch;

import io.focus.app.Main;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What Jicofo's shell-style {@code /etc/jitsi/jicofo/config} says about starting the process, as Jicofo's init
 * script and {@code jicofo.sh} use it: {@code JICOFO_MAX_MEMORY} becomes {@code -Xmx}, the words of
 * {@code JAVA_SYS_PROPS} are JVM options, the words of {@code JICOFO_OPTS} are program arguments. Words are split
 * on blanks, as the shell splits an unquoted {@code $JAVA_SYS_PROPS}; the file is read by {@code ShellConfig},
 * never run, so {@code $VAR} and {@code $(...)} stay literal text. Anything the focus cannot use is an
 * {@link IllegalArgumentException} naming the variable: a heap size the JVM would not take, a word of
 * {@code JAVA_SYS_PROPS} that is not an option (java would take it for the main class), a program argument the
 * focus does not know (old Jicofo's {@code --host=...} options are named with the {@code jicofo.conf} key that
 * replaces them).
 */
public record JicofoLaunchSettings(List<String> jvmOptions, List<String> programArguments) {
    public static final String MAX_MEMORY = "JICOFO_MAX_MEMORY";
    public static final String SYS_PROPS = "JAVA_SYS_PROPS";
    public static final String OPTS = "JICOFO_OPTS";

    private static final Pattern HEAP = Pattern.compile("[0-9]+[kKmMgGtT]?");

    /** Old Jicofo's command-line options (before jicofo.conf) and the key that holds each now. */
    private static final Map<String, String> OLD_OPTIONS = Map.of(
            "--host", "jicofo.xmpp.client.hostname",
            "--domain", "jicofo.xmpp.client.xmpp-domain",
            "--port", "jicofo.xmpp.client.port",
            "--user_domain", "jicofo.xmpp.client.domain",
            "--user_name", "jicofo.xmpp.client.username",
            "--user_password", "jicofo.xmpp.client.password",
            "--secret", "(none: the focus logs in as a user, not as a component)",
            "--subdomain", "(none: the focus logs in as a user, not as a component)");

    public JicofoLaunchSettings {
        jvmOptions = List.copyOf(jvmOptions);
        programArguments = List.copyOf(programArguments);
    }

    /** From the variables of the file at {@code origin}; unset or blank variables add nothing. */
    public static JicofoLaunchSettings from(Map<String, String> vars, String origin) {
        List<String> jvm = new ArrayList<>();
        String heap = vars.getOrDefault(MAX_MEMORY, "").strip();
        if (!heap.isEmpty()) {
            if (!HEAP.matcher(heap).matches()) {
                throw new IllegalArgumentException(MAX_MEMORY + " = '" + heap + "' (" + origin
                        + "): expected a heap size as java -Xmx takes it, e.g. 3072m or 3g");
            }
            jvm.add("-Xmx" + heap);
        }
        String sysProps = vars.getOrDefault(SYS_PROPS, "");
        for (String word : words(sysProps)) {
            if (!word.startsWith("-")) {
                throw new IllegalArgumentException(SYS_PROPS + " (" + origin + ") has '" + word
                        + "', which is not a JVM option: expected words like -Dkey=value"
                        + (sysProps.contains("$") || sysProps.contains("`")
                                ? " (the file is read, not run: $VAR, $(...) and backticks are not expanded)" : ""));
            }
            jvm.add(word);
        }
        List<String> args = words(vars.get(OPTS));
        for (String word : args) {
            String name = word.contains("=") ? word.substring(0, word.indexOf('=')) : word;
            String key = OLD_OPTIONS.get(name);
            if (key != null) {
                throw new IllegalArgumentException(OPTS + " (" + origin + ") has " + name + "=..., an option of old"
                        + " Jicofo versions (current Jicofo ignores it): expected it removed from " + OPTS
                        + " and its value in jicofo.conf: " + key);
            }
        }
        try {
            Main.Options.parse(args.toArray(String[]::new));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(OPTS + " (" + origin + "): " + e.getMessage()
                    + ": expected focus's arguments (--config FILE)");
        }
        return new JicofoLaunchSettings(jvm, args);
    }

    private static List<String> words(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return List.of(value.strip().split("\\s+"));
    }
}
