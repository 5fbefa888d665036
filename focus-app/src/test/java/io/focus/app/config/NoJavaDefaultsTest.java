package io.focus.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A key's default lives in its module's {@code reference.conf} and nowhere else: production code may ask
 * {@code hasPath} only of keys without a default there (optional and legacy keys: absent means "off" or "derive it").
 * A {@code hasPath(key) ? read : fallback} on a key that has a default repeats the default in Java, where it drifts
 * (the selection log once kept 100 decisions in Java and 200 in reference.conf).
 *
 * <p>Reads the main sources of every module (beside this one in the repository) and resolves each {@code hasPath}
 * argument that is a string literal or a {@code static final String} constant ({@code NAME} or {@code Type.NAME});
 * other arguments (loop variables, locals) are not judged.
 */
class NoJavaDefaultsTest {
    private static final Pattern HAS_PATH = Pattern.compile("\\.hasPath(?:OrNull)?\\(\\s*([^()]*?)\\s*\\)");
    private static final Pattern CONSTANT = Pattern.compile("static\\s+final\\s+String\\s+([A-Za-z_][A-Za-z0-9_]*)\\s*=\\s*\"([^\"]+)\"\\s*;");

    @Test
    void noProductionCodeFallsBackForAKeyThatHasADefaultInAReferenceConf() throws IOException {
        Config reference = ConfigFactory.defaultReference(getClass().getClassLoader());
        List<Path> sources = mainSources();
        assertTrue(sources.stream().anyMatch(p -> p.endsWith("SelectionLog.java"))
                        && sources.stream().anyMatch(p -> p.endsWith("BrewerySettings.java")),
                "the scan must see every module's sources; it saw " + sources.size() + " files");
        // constants by simple name per file, and by Type.NAME across all files
        Map<Path, Map<String, String>> local = new HashMap<>();
        Map<String, String> qualified = new HashMap<>();
        for (Path p : sources) {
            Map<String, String> m = new HashMap<>();
            Matcher c = CONSTANT.matcher(read(p));
            while (c.find()) {
                m.put(c.group(1), c.group(2));
                String type = p.getFileName().toString().replace(".java", "");
                qualified.put(type + "." + c.group(1), c.group(2));
            }
            local.put(p, m);
        }
        Set<String> judged = new TreeSet<>();
        Set<String> fallbacks = new TreeSet<>();
        for (Path p : sources) {
            List<String> lines = Files.readAllLines(p);
            for (int i = 0; i < lines.size(); i++) {
                Matcher h = HAS_PATH.matcher(lines.get(i));
                while (h.find()) {
                    String arg = h.group(1);
                    String key = arg.startsWith("\"") && arg.endsWith("\"") ? arg.substring(1, arg.length() - 1)
                            : local.get(p).getOrDefault(arg, qualified.get(arg));
                    if (key == null || !key.contains(".")) {
                        continue; // computed at run time, or a root such as "jicofo"
                    }
                    judged.add(key);
                    if (reference.hasPath(key)) {
                        fallbacks.add(p.getFileName() + ":" + (i + 1) + " hasPath(" + key + ")");
                    }
                }
            }
        }
        assertTrue(judged.contains("jicofo.bridge.brewery-jid") && judged.contains("jicofo.octo.sctp-datachannels"),
                "the scan must resolve the optional keys it is known to ask about; it resolved " + judged);
        assertEquals(Set.of(), fallbacks, "hasPath on keys that have a default in a reference.conf: read them "
                + "directly (the loader merges every reference.conf), the default has one place");
    }

    private static List<Path> mainSources() throws IOException {
        Path repo = Path.of("").toAbsolutePath().getParent();
        try (Stream<Path> modules = Files.list(repo)) {
            return modules.filter(m -> m.getFileName().toString().startsWith("focus-"))
                    .map(m -> m.resolve("src/main/java")).filter(Files::isDirectory)
                    .flatMap(NoJavaDefaultsTest::javaFiles).sorted().toList();
        }
    }

    private static Stream<Path> javaFiles(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.toString().endsWith(".java")).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
