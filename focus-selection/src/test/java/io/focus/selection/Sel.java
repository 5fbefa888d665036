package io.focus.selection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.focus.core.bridge.BridgeSnapshot;
import io.focus.core.bridge.BridgeState;
import io.focus.core.selection.BridgeSelectionStrategy;
import io.focus.core.selection.ConferenceBridgeProperties;
import io.focus.core.selection.Decision;
import io.focus.core.selection.ExclusionSet;
import io.focus.core.selection.ParticipantProperties;
import io.focus.core.selection.Reason;
import io.focus.core.selection.SelectionRequest;
import io.prometheus.client.CollectorRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A small table language for selection tests, after Jicofo's selector tests: bridges with stress and region, a
 * conference (bridge → its participants there), a participant, and the expected pick and rule.
 */
public final class Sel {
    public static final String BREWERY = "jvbbrewery@internal.auth.example.com/";
    public static final String V1 = "2.3-1";

    private Sel() {}

    public static String id(String nick) { return BREWERY + nick; }

    /** An operational bridge with relay id = nick and version {@link #V1}. */
    public static BridgeState b(String nick, double stress, String region) {
        return BridgeState.builder(id(nick)).region(region).relayId(nick).version(V1).reportedStress(stress)
                .averageParticipantStress(0.01).build();
    }

    public static BridgeState b(String nick, double stress) { return b(nick, stress, null); }

    public static BridgeState with(BridgeState b, UnaryOperator<BridgeState.Builder> change) {
        return change.apply(b.toBuilder()).build();
    }

    public static BridgeState failed(BridgeState b) { return with(b, x -> x.health(BridgeState.Health.FAILED)); }
    public static BridgeState draining(BridgeState b) { return with(b, x -> x.draining(true)); }
    public static BridgeState suspect(BridgeState b) {
        return with(b, x -> x.suspect(io.focus.core.bridge.SuspectSignal.COLIBRI_DEADLINE, "unanswered", java.time.Instant.EPOCH));
    }
    public static BridgeState failingIce(BridgeState b) { return with(b, x -> x.failingIce(true)); }
    public static BridgeState graceful(BridgeState b) { return with(b, x -> x.gracefulShutdown(true)); }
    public static BridgeState shuttingDown(BridgeState b) { return with(b, x -> x.shuttingDown(true)); }
    public static BridgeState version(BridgeState b, String v) { return with(b, x -> x.version(v)); }
    public static BridgeState noRelay(BridgeState b) { return with(b, x -> x.relayId(null)); }
    public static BridgeState endpoints(BridgeState b, int n) { return with(b, x -> x.endpoints(n)); }
    public static BridgeState conferences(BridgeState b, int n) { return with(b, x -> x.conferences(n)); }

    public static SelectionSettings settings(String hocon) {
        return SelectionSettings.from(ConfigFactory.parseString(hocon));
    }

    public static Clock clock() { return Clock.fixed(Instant.parse("2024-01-01T00:00:00Z"), ZoneOffset.UTC); }

    public static FilteringBridgeSelector selector(String hocon) {
        return selector(hocon, new CollectorRegistry());
    }

    public static FilteringBridgeSelector selector(String hocon, CollectorRegistry registry) {
        var config = ConfigFactory.parseString(hocon);
        return new FilteringBridgeSelector(SelectionSettings.from(config), StrategyLookup.standard().create(config),
                new SelectionMetrics(registry), clock());
    }

    /** One test row. */
    public static final class Case {
        final String name;
        String config = "";
        List<BridgeState> bridges = List.of();
        Set<String> candidates;
        final Map<String, ConferenceBridgeProperties> conference = new LinkedHashMap<>();
        String region;
        final Set<String> excluded = new HashSet<>();
        String pin;
        String expected;
        String rule;

        Case(String name) { this.name = name; }

        public Case config(String hocon) { config = hocon; return this; }
        public Case bridges(BridgeState... bs) { bridges = Arrays.asList(bs); return this; }
        /** For a strategy called directly: only these of the row's bridges are its candidates (default: all). */
        public Case candidates(String... nicks) { candidates = Set.of(nicks); return this; }
        /** The conference has {@code participants} on {@code nick}. */
        public Case on(String nick, int participants) {
            conference.put(id(nick), ConferenceBridgeProperties.of(participants));
            return this;
        }
        /** ... of whom {@code recent} joined inside the per-interval window. */
        public Case on(String nick, int participants, int recent) {
            conference.put(id(nick), new ConferenceBridgeProperties(participants, recent, false));
            return this;
        }
        public Case region(String r) { region = r; return this; }
        public Case exclude(String... nicks) { for (String n : nicks) excluded.add(id(n)); return this; }
        public Case pin(String v) { pin = v; return this; }
        /** The expected pick's nick (null: none) and a fragment of the reason's text. */
        public Case expect(String nick, String reasonFragment) { expected = nick; rule = reasonFragment; return this; }
        /** For {@link #direct}: the expected pick's nick (null: none) and the exact rule that makes it. */
        public Case picks(String nick, String exactRule) { expected = nick; rule = exactRule; return this; }
        public Case picks(String nick, Reason why) { return picks(nick, why.rule()); }

        /** What a strategy called directly is given: the row's bridges, or those named by {@link #candidates}. */
        public List<BridgeState> candidateList() {
            return candidates == null ? bridges : bridges.stream().filter(b -> candidates.contains(b.nick())).toList();
        }

        public SelectionRequest request() {
            return new SelectionRequest(new BridgeSnapshot(1, Instant.EPOCH, bridges), conference,
                    new ParticipantProperties(region, false), pin, ExclusionSet.of(excluded), "room@conference.example.com");
        }

        @Override public String toString() { return name; }
    }

    public static Case c(String name) { return new Case(name); }

    /**
     * Calls a strategy directly, as the selector would with no filter in front: the row's candidates, its request,
     * the limits of {@code base} plus the row's config. Checks the pick and that the rule is exactly the row's.
     */
    public static Decision direct(Function<SelectionSettings, BridgeSelectionStrategy> strategy, String base, Case row) {
        SelectionSettings s = settings(base + "\n" + row.config);
        Decision d = strategy.apply(s).select(row.candidateList(), row.request(), new SelectionLimits(s));
        assertEquals(row.expected, d.found() ? d.bridge().nick() : null, row.name + ": " + d.reason());
        assertEquals(row.rule, d.reason().rule(), row.name);
        return d;
    }

    /** Runs the row through a fresh selector built from {@code base} config plus the row's own. */
    public static Decision check(String base, Case row) {
        FilteringBridgeSelector s = selector(base + "\n" + row.config);
        Decision d = s.select(row.request());
        String got = d.found() ? d.bridge().nick() : null;
        assertEquals(row.expected, got, row.name + ": " + d.reason());
        if (row.rule != null) {
            assertTrue(d.reason().toString().contains(row.rule),
                    row.name + ": reason '" + d.reason() + "' lacks '" + row.rule + "'");
        }
        return d;
    }
}
