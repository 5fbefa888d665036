package io.focus.app.conformance;

import io.focus.sim.xml.Xml;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.w3c.dom.Element;

/**
 * One recorded sequence ({@code a}..{@code d}) of the real calls: its stanzas by step, each in the producer's form
 * ({@code .xml}) and as delivered ({@code .delivered.xml}, or the wire copy when Prosody made the stanza). Optionally
 * with strings renamed (endpoint ids, JIDs of another run), so that a sequence can be lined up with another.
 */
final class RecordedSequence {
    private static final Pattern NAME = Pattern.compile("([a-e])-(\\d{3})-([a-z0-9]+)-to-([a-z0-9]+)-(.+?)(\\.delivered)?\\.xml");

    /** One recorded stanza. */
    record Step(String file, int step, String sender, String receiver, String what, String wire, String delivered) {
        Element wireXml() { return Xml.parse(wire); }
        Element deliveredXml() { return Xml.parse(delivered); }
        @Override public String toString() { return file; }
    }

    private final String name;
    private final List<Step> steps;

    private RecordedSequence(String name, List<Step> steps) {
        this.name = name;
        this.steps = steps;
    }

    static RecordedSequence load(String seq) {
        return load(seq, Map.of());
    }

    /** The sequence with each key of {@code renames} replaced by its value in every stanza's text. */
    static RecordedSequence load(String seq, Map<String, String> renames) {
        Map<String, String[]> byStem = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(RequiresRealCalls.Condition.dir())) {
            files.map(p -> p.getFileName().toString()).filter(f -> f.startsWith(seq + "-")).sorted().forEach(f -> {
                Matcher m = NAME.matcher(f);
                if (!m.matches()) {
                    throw new IllegalStateException("unexpected recording name " + f);
                }
                String stem = f.replace(".delivered.xml", "").replace(".xml", "");
                String[] forms = byStem.computeIfAbsent(stem, k -> new String[2]);
                forms[m.group(6) != null ? 1 : 0] = rename(read(f), renames);
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Step> steps = new ArrayList<>();
        byStem.forEach((stem, forms) -> {
            Matcher m = NAME.matcher(stem + ".xml");
            m.matches();
            steps.add(new Step(stem, Integer.parseInt(m.group(2)), m.group(3), m.group(4), m.group(5), forms[0],
                    forms[1] != null ? forms[1] : forms[0]));
        });
        if (steps.isEmpty()) {
            throw new IllegalStateException("no recordings of sequence " + seq + " in " + RequiresRealCalls.Condition.dir());
        }
        return new RecordedSequence(seq, steps);
    }

    String name() { return name; }

    /**
     * The same stanzas with the roles in the file names renamed ({@code client2} → {@code client1}, ...), for a
     * sequence that plays the part of another one's clients (see {@link LinedUp}).
     */
    RecordedSequence withRoles(Map<String, String> roles) {
        return new RecordedSequence(name, steps.stream().map(s -> new Step(s.file(), s.step(),
                roles.getOrDefault(s.sender(), s.sender()), roles.getOrDefault(s.receiver(), s.receiver()), s.what(),
                s.wire(), s.delivered())).toList());
    }

    List<Step> steps() { return steps; }

    Step step(int n) {
        return steps.stream().filter(s -> s.step() == n).findFirst()
                .orElseThrow(() -> new IllegalStateException("no step " + n + " in sequence " + name));
    }

    List<Step> where(Predicate<Step> p) {
        return steps.stream().filter(p).toList();
    }

    List<Step> from(String sender, String what) {
        return where(s -> s.sender().equals(sender) && s.what().equals(what));
    }

    Optional<Step> first(String sender, String what) {
        return from(sender, what).stream().findFirst();
    }

    /** The recorded reply of a request the focus sent (paired by the focus's own IQ id). */
    Optional<Step> replyTo(Step request) {
        String id = request.wireXml().getAttribute("id");
        return steps.stream().filter(s -> s.receiver().equals(request.sender()) && s.step() > request.step())
                .filter(s -> id.equals(s.deliveredXml().getAttribute("id"))).findFirst();
    }

    private static String read(String file) {
        try {
            return Files.readString(RequiresRealCalls.Condition.dir().resolve(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String rename(String text, Map<String, String> renames) {
        String out = text;
        for (Map.Entry<String, String> r : renames.entrySet()) {
            out = out.replace(r.getKey(), r.getValue());
        }
        return out;
    }
}
