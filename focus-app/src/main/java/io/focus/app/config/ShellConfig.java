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
 * Reads the shell-style {@code /etc/jitsi/jicofo/config} that Jicofo's init script sources ({@code KEY=value},
 * {@code KEY="value"}, {@code KEY='value'}, {@code export KEY=value}, {@code #} comments) <em>without running
 * it</em>: the value is taken as the shell would read its words, quotes removed, but {@code $VAR} references,
 * {@code $(...)} and backticks are kept as literal text, never expanded or executed. As in the shell, a quoted
 * value may span lines, a backslash before a newline joins lines, adjacent quoted and unquoted parts join
 * ({@code "a"'b'c} is {@code abc}), and the last assignment of a key wins. Lines that are not assignments
 * (commands) are skipped. A value the shell would not read as one word ({@code KEY=a b}: that runs {@code b}) or
 * an unterminated quote is an {@link IllegalArgumentException} naming the key and the line.
 */
public final class ShellConfig {
    private static final Pattern ASSIGNMENT =
            Pattern.compile("^\\s*(?:export\\s+)?([A-Za-z_][A-Za-z0-9_]*)=");

    private ShellConfig() {}

    public static Map<String, String> read(Path file) throws IOException {
        return parse(Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    public static Map<String, String> parse(List<String> lines) {
        String text = String.join("\n", lines);
        Map<String, String> out = new LinkedHashMap<>();
        int pos = 0;
        int line = 1;
        while (pos < text.length()) {
            int eol = text.indexOf('\n', pos);
            String rest = text.substring(pos, eol < 0 ? text.length() : eol);
            Matcher m = ASSIGNMENT.matcher(rest);
            if (!m.find() || rest.strip().startsWith("#")) {
                pos = eol < 0 ? text.length() : eol + 1;
                line++;
                continue;
            }
            Value v = value(text, pos + m.end(), m.group(1), line);
            out.put(m.group(1), v.text());
            line += count(text, pos, v.end(), '\n');
            pos = v.end();
        }
        return out;
    }

    private record Value(String text, int end) {}

    /**
     * One word starting at {@code i}; ends at an unquoted newline (consumed) or at blank + {@code #} comment.
     * Anything else after unquoted blanks is an error.
     */
    private static Value value(String s, int i, String key, int line) {
        StringBuilder sb = new StringBuilder();
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\n') {
                return new Value(sb.toString(), i + 1);
            } else if (c == ' ' || c == '\t') {
                int j = i;
                while (j < s.length() && (s.charAt(j) == ' ' || s.charAt(j) == '\t')) {
                    j++;
                }
                if (j < s.length() && s.charAt(j) != '\n' && s.charAt(j) != '#') {
                    throw new IllegalArgumentException(key + " (line " + line + "): the value ends at the first"
                            + " unquoted blank, the shell would run '" + s.substring(j, lineEnd(s, j))
                            + "' as a command: expected the value in quotes, e.g. " + key + "=\"a b\"");
                }
                int eol = s.indexOf('\n', j);
                return new Value(sb.toString(), eol < 0 ? s.length() : eol + 1);
            } else if (c == '\\') {
                if (i + 1 < s.length() && s.charAt(i + 1) != '\n') {
                    sb.append(s.charAt(i + 1));
                }
                i += 2; // a backslash-newline joins the lines
            } else if (c == '\'') {
                int close = s.indexOf('\'', i + 1);
                if (close < 0) {
                    throw unterminated(key, line, '\'');
                }
                sb.append(s, i + 1, close);
                i = close + 1;
            } else if (c == '"') {
                i = doubleQuoted(s, i + 1, sb, key, line);
            } else {
                sb.append(c);
                i++;
            }
        }
        return new Value(sb.toString(), s.length());
    }

    /** Inside double quotes a backslash escapes only $ ` " \ and newline; returns the index after the quote. */
    private static int doubleQuoted(String s, int i, StringBuilder sb, String key, int line) {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            if (c == '\\' && i + 1 < s.length() && "$`\"\\\n".indexOf(s.charAt(i + 1)) >= 0) {
                if (s.charAt(i + 1) != '\n') {
                    sb.append(s.charAt(i + 1));
                }
                i += 2;
            } else {
                sb.append(c);
                i++;
            }
        }
        throw unterminated(key, line, '"');
    }

    private static IllegalArgumentException unterminated(String key, int line, char quote) {
        return new IllegalArgumentException(key + " (line " + line + "): the " + quote + " quote is never closed:"
                + " expected a closing " + quote);
    }

    private static int lineEnd(String s, int from) {
        int eol = s.indexOf('\n', from);
        return eol < 0 ? s.length() : eol;
    }

    private static int count(String s, int from, int to, char c) {
        int n = 0;
        for (int i = from; i < to && i < s.length(); i++) {
            if (s.charAt(i) == c) {
                n++;
            }
        }
        return n;
    }
}
