package io.focus.app.conformance;

import io.focus.sim.xml.Xml;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.w3c.dom.Element;

/**
 * The comparisons of one test, each by role ("the session-initiate to client3"), all run before the test fails so
 * that one report names every difference. Printed to stdout.
 */
final class ConformanceReport {
    private final String sequence;
    private final List<String> passed = new ArrayList<>();
    private final List<String> failed = new ArrayList<>();

    ConformanceReport(String sequence) {
        this.sequence = sequence;
    }

    /** Compares two normalised elements. */
    void compare(String role, String recordedFile, Element expected, Element actual) {
        if (actual == null) {
            fail(role, "the focus sent nothing in this role (Jicofo: " + recordedFile + ")");
            return;
        }
        Optional<String> d = XmlDiff.diff(expected, actual);
        if (d.isPresent()) {
            fail(role + " vs " + recordedFile, d.get());
        } else {
            passed.add(role + " = " + recordedFile);
        }
    }

    void check(String role, boolean ok, String detail) {
        if (ok) {
            passed.add(role);
        } else {
            fail(role, detail);
        }
    }

    void fail(String role, String detail) {
        failed.add(role + ": " + detail);
    }

    void allowed(AllowedDifference d, String where) {
        passed.add("(allowed " + d + " at " + where + ": " + d.why() + ")");
    }

    /** Prints the report and fails with every difference when there is one. */
    void assertConforms() {
        StringBuilder b = new StringBuilder("=== conformance " + sequence + ": " + passed.stream()
                .filter(p -> !p.startsWith("(")).count() + " passed, " + failed.size() + " failed\n");
        passed.forEach(p -> b.append("  PASS ").append(p).append('\n'));
        failed.forEach(f -> b.append("  FAIL ").append(f).append('\n'));
        System.out.println(b);
        if (!failed.isEmpty()) {
            throw new AssertionError(b.toString());
        }
    }

    static String text(Element e) {
        return e == null ? "(none)" : Xml.toString(e);
    }
}
