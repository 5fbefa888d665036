package io.focus.app.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the shell-style {@code /etc/jitsi/jicofo/config} Jicofo's Debian package writes ({@code KEY=value},
 * {@code KEY="value"}, {@code KEY='value'}, {@code export KEY=value}, {@code #} comments). Nothing is executed:
 * {@code $VAR} references and command substitutions are kept as literal text, and lines that are not assignments
 * are skipped.
 */
public final class ShellConfig {
    private static final Pattern ASSIGNMENT =
            Pattern.compile("^\\s*(?:export\\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$");

    private ShellConfig() {}

    public static Map<String, String> read(Path file) throws IOException {
        return parse(Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    static Map<String, String> parse(List<String> lines) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : lines) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            Matcher m = ASSIGNMENT.matcher(t);
            if (!m.matches()) {
                continue;
            }
            out.put(m.group(1), value(m.group(2).strip()));
        }
        return out;
    }

    private static String value(String raw) {
        if (raw.length() >= 2 && (raw.charAt(0) == '"' || raw.charAt(0) == '\'')) {
            char q = raw.charAt(0);
            int end = raw.indexOf(q, 1);
            if (end > 0) {
                return raw.substring(1, end);
            }
            return raw.substring(1);
        }
        // unquoted: a trailing comment starts at " #"
        int hash = raw.indexOf(" #");
        return (hash >= 0 ? raw.substring(0, hash) : raw).strip();
    }
}
