package io.focus.sim;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.w3c.dom.Element;

import io.focus.sim.xml.Xml;

/**
 * Reads the captured real-Jitsi stanzas (tests only): {@code fixtures/real-jitsi/} ({@link #text}, {@link #stanza},
 * {@link #child}) and {@code fixtures/real-call/} ({@link #realCall}, {@link #realCallStanza}). When the shared
 * directory ({@code focus.shared.dir}, default {@code ../../shared}) is absent the calling test is SKIPPED (a JUnit
 * assumption), never failed.
 */
public final class Fixtures {
    private Fixtures() { }

    private static Path shared() {
        String shared = System.getProperty("focus.shared.dir");
        return shared != null ? Path.of(shared) : Path.of("../../shared");
    }

    public static Path dir() {
        return shared().resolve("fixtures/real-jitsi");
    }

    /** {@code fixtures/real-call/}. */
    public static Path realCallDir() {
        return shared().resolve("fixtures/real-call");
    }

    private static String read(Path dir, String name) {
        assumeTrue(Files.isDirectory(dir), () -> "../shared is absent (no " + dir + "): fixture test skipped");
        try {
            return Files.readString(dir.resolve(name), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("fixture " + name + " (focus.shared.dir=" + System.getProperty("focus.shared.dir") + ")", e);
        }
    }

    public static String text(String name) {
        return read(dir(), name);
    }

    public static Element stanza(String name) {
        return Xml.parse(text(name));
    }

    /** The first child element of the stanza in {@code name} (e.g. the {@code conference-modify} of an IQ). */
    public static Element child(String name) {
        return Xml.children(stanza(name)).get(0);
    }

    /** The text of {@code fixtures/real-call/<name>}. */
    public static String realCall(String name) {
        return read(realCallDir(), name);
    }

    /** The stanza in {@code fixtures/real-call/<name>}. */
    public static Element realCallStanza(String name) {
        return Xml.parse(realCall(name));
    }

    /**
     * The file names in {@code fixtures/real-call/} starting with {@code prefix} (e.g. {@code "a-048-"}), sorted;
     * skips the test when the directory is absent.
     */
    public static List<String> realCallFiles(String prefix) {
        Path dir = realCallDir();
        assumeTrue(Files.isDirectory(dir), () -> "../shared is absent (no " + dir + "): fixture test skipped");
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Shapes of all children of a stanza, concatenated. */
    public static String childrenShape(Element stanza) {
        StringBuilder b = new StringBuilder();
        Xml.children(stanza).forEach(c -> b.append(Xml.shape(c)));
        return b.toString();
    }
}
