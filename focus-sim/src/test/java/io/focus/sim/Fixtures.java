package io.focus.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.w3c.dom.Element;

import io.focus.sim.xml.Xml;

/** Reads the captured real-Jitsi stanzas (tests only). */
public final class Fixtures {
    private Fixtures() { }

    public static Path dir() {
        String shared = System.getProperty("focus.shared.dir");
        Path p = shared != null ? Path.of(shared) : Path.of("../../shared");
        return p.resolve("fixtures/real-jitsi");
    }

    public static String text(String name) {
        try {
            return Files.readString(dir().resolve(name), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("fixture " + name + " (focus.shared.dir=" + System.getProperty("focus.shared.dir") + ")", e);
        }
    }

    public static Element stanza(String name) {
        return Xml.parse(text(name));
    }

    /** The first child element of the stanza in {@code name} (e.g. the {@code conference-modify} of an IQ). */
    public static Element child(String name) {
        return Xml.children(stanza(name)).get(0);
    }

    /** Shapes of all children of a stanza, concatenated. */
    public static String childrenShape(Element stanza) {
        StringBuilder b = new StringBuilder();
        Xml.children(stanza).forEach(c -> b.append(Xml.shape(c)));
        return b.toString();
    }
}
