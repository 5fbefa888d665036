package io.focus.app.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focus.app.wiring.FocusConferences;
import io.focus.sim.bridge.SimBridge;
import io.focus.sim.participant.SimParticipant;
import io.focus.sim.prosody.ProsodyExtension;
import io.focus.sim.prosody.ProsodyServer;
import io.focus.sim.testing.CallAssertions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The focus crashes mid-call (SIGKILL: nothing saved on the way out, its XMPP session just ends) and a new one starts
 * on the same {@code focus.state.directory}. {@link FocusRestartE2ETest} covers the graceful stop, which saves its
 * state when it stops; here only what the periodic save wrote before the kill is there. The first focus is the
 * packaged daemon ({@code bin/focus}, a process of its own, as {@link DaemonProcessE2ETest} runs it) so that it can be
 * killed; the second runs in-process ({@link DaemonFixture}). Asserted at the far end ({@link CallAssertions}): the
 * room whose participants stayed is complete again on the same bridge conference (same meeting id), everyone in it
 * re-invited exactly once; the room everybody left while no focus ran is expired on its bridge; nothing else is left
 * on any bridge.
 */
class FocusCrashE2ETest {
    @RegisterExtension
    static ProsodyExtension prosody = new ProsodyExtension();

    /** The bridges, the participants and the second (in-process) focus. */
    @RegisterExtension
    final DaemonFixture focus = new DaemonFixture();

    @TempDir
    Path dir;

    Process crashing;
    Path log;

    @AfterEach
    void killTheProcess() throws Exception {
        if (crashing != null && crashing.isAlive()) {
            crashing.destroyForcibly();
            crashing.waitFor(10, TimeUnit.SECONDS);
        }
    }

    static String conf(ProsodyServer server, int port, Path state) {
        return DaemonFixture.jicofoConf(server, port) + "focus.state.directory = \"" + state + "\"\n"
                + "focus.conference.rejoin-timeout = 3 seconds\n";
    }

    /** Starts {@code bin/focus --config FILE} as a process with its REST API on {@code port}. */
    Process startProcess(ProsodyServer server, int port, Path state) throws IOException {
        Path conf = dir.resolve("process.conf");
        Files.writeString(conf, conf(server, port, state), StandardCharsets.UTF_8);
        log = dir.resolve("focus.log");
        Path launcher = DaemonProcessE2ETest.checkout().resolve("bin/focus");
        assertTrue(Files.isExecutable(launcher), launcher + " is the launcher (build it: mvn -pl focus-app -am package)");
        ProcessBuilder pb = new ProcessBuilder(launcher.toString(), "--config", conf.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("JAVA_OPTS", "-Xmx256m -XX:+UseSerialGC");
        pb.environment().put("FOCUS_SHELL_CONFIG", dir.resolve("no-jicofo-shell-config").toString());
        pb.environment().remove("FOCUS_CONFIG");
        return pb.start();
    }

    /** Starts the focus that will be killed, and waits until it knows exactly {@code bridges}. */
    Rest startCrashing(ProsodyServer server, Path state, Set<String> bridges) throws IOException {
        int port = DaemonProcessE2ETest.freePort();
        crashing = startProcess(server, port, state);
        Rest rest = new Rest(port, DaemonFixture.TOKEN);
        await("bridges discovered").atMost(Duration.ofSeconds(60)).until(() -> {
            assertTrue(crashing.isAlive(), () -> "the focus exited: " + tail());
            return rest.bridgeNicks().equals(bridges);
        });
        return rest;
    }

    @Test
    void aKilledFocusesRoomsAreTakenBackByTheNextProcessAndNothingLeaks() throws Exception {
        ProsodyServer server = prosody.server();
        SimBridge jvb1 = focus.bridge(server, "jvb1", 0.1);
        SimBridge jvb2 = focus.bridge(server, "jvb2", 0.5);
        Path state = dir.resolve("state");
        Path saved = state.resolve("conferences.json");
        Rest rest = startCrashing(server, state, Set.of("jvb1", "jvb2"));

        // room "stays" on jvb1; then jvb2 becomes the least stressed and room "leaves" goes there
        String stays = "stays@" + server.conferenceMucDomain();
        List<SimParticipant> staying = focus.join(server, stays, "eu-west", "a1000001", "b2000002", "c3000003");
        CallAssertions.call(stays).on(jvb1, staying).andNothingOn(jvb2).await();
        jvb1.setStress(0.8);
        jvb2.setStress(0.1);
        await("jvb2 the least stressed").atMost(Duration.ofSeconds(10)).until(() ->
                TwoBridgesHangE2ETest.stress(rest, "jvb2") < 0.2 && TwoBridgesHangE2ETest.stress(rest, "jvb1") > 0.7);
        String leaves = "leaves@" + server.conferenceMucDomain();
        List<SimParticipant> leaving = focus.join(server, leaves, "eu-west", "d4000004", "e5000005");
        CallAssertions.call(leaves).on(jvb2, leaving).andNothingOn(jvb1).await();
        CallAssertions.call(stays).on(jvb1, staying).andNothingOn(jvb2).await();
        String meeting = only(ProsodyRestartE2ETest.meetingIds(jvb1, stays));
        String leftMeeting = only(ProsodyRestartE2ETest.meetingIds(jvb2, leaves));

        // the periodic save has both calls as they are now (the kill saves nothing)
        long completeAt = System.nanoTime();
        await("saved").atMost(Duration.ofSeconds(10)).until(() -> Files.exists(saved) && savedHas(saved,
                meeting, leftMeeting, "a1000001", "b2000002", "c3000003", "d4000004", "e5000005"));
        System.out.printf("e2e: the state file had both calls %d ms after they were complete%n",
                (System.nanoTime() - completeAt) / 1_000_000);
        Map<String, Integer> sessions = new LinkedHashMap<>();
        staying.forEach(p -> sessions.put(p.endpointId(), p.sessionsStarted()));

        crashing.destroyForcibly();
        assertTrue(crashing.waitFor(10, TimeUnit.SECONDS), "killed");
        // its session ended: Prosody tells the rooms the focus left (a stock client fails the conference: FOCUS_LEFT)
        await("the focus left").atMost(Duration.ofSeconds(10)).until(() -> focus.participants().stream()
                .allMatch(p -> p.focusLeftCount() == 1));
        // room "leaves": everybody goes while no focus runs (stock clients reloading, and not coming back)
        leaving.forEach(SimParticipant::close);
        focus.participants().removeAll(leaving);

        long t0 = System.nanoTime();
        focus.start(dir, ProsodyRestartE2ETest.conf(server, state, "focus.conference.rejoin-timeout = 3 seconds\n"));
        await("re-invited").atMost(Duration.ofSeconds(30))
                .until(() -> staying.stream().allMatch(p -> p.sessionsStarted() > sessions.get(p.endpointId())));
        CallAssertions.call(stays).on(jvb1, staying).andNothingOn(jvb2).await(Duration.ofSeconds(30));
        System.out.printf("e2e: after the kill, room taken back and the call complete %d ms after the new focus "
                + "started%n", (System.nanoTime() - t0) / 1_000_000);
        assertEquals(Set.of(meeting), ProsodyRestartE2ETest.meetingIds(jvb1, stays),
                "the bridge conference is re-used, not made again");
        var manager = focus.get(FocusConferences.class).manager();
        assertEquals(meeting, manager.conference(stays).meetingId());

        // the room nobody came back to ends and its bridge conference is expired: nothing left on any bridge
        await("expired on jvb2").atMost(Duration.ofSeconds(20)).until(() -> jvb2.model().conferences().isEmpty()
                && manager.conference(leaves) == null);
        assertEquals(1, jvb1.model().conferences().size(), () -> "only the call on jvb1: " + jvb1.model().conferences());
        assertEquals(Set.of("a1000001", "b2000002", "c3000003"), jvb1.model().endpoints());
        assertEquals(Set.of(), jvb2.model().endpoints());

        // each participant of the room taken back got exactly one new offer: nobody re-signalled twice
        await("no further offers").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() ->
                staying.stream().allMatch(p -> p.sessionsStarted() == sessions.get(p.endpointId()) + 1));
        CallAssertions.call(stays).on(jvb1, staying).andNothingOn(jvb2).await();
    }

    /**
     * Killed a few ms after its first allocation reached the bridge, before the periodic save (every 250 ms) could
     * write the new conference: the allocation journal has it, so the next focus takes the room back and, nobody being
     * there any more, expires the bridge conference. Without the journal it would stay on the bridge for good.
     */
    @Test
    void aFocusKilledRightAfterAnAllocationLeavesNothingOnTheBridge() throws Exception {
        ProsodyServer server = prosody.server();
        SimBridge jvb1 = focus.bridge(server, "jvb1", 0.1);
        Path state = dir.resolve("state");
        Path saved = state.resolve("conferences.json");
        startCrashing(server, state, Set.of("jvb1"));

        String room = "fresh@" + server.conferenceMucDomain();
        // watch the bridge from before the joins: the kill follows the allocation's arrival within a millisecond or so
        Process victim = crashing;
        CompletableFuture<Boolean> killer = CompletableFuture.supplyAsync(() -> {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (jvb1.model().conferences().isEmpty() && System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            victim.destroyForcibly();
            return !jvb1.model().conferences().isEmpty();
        });
        List<SimParticipant> joined = focus.join(server, room, "eu-west", "f6000006", "a7000007");
        assertTrue(killer.get(40, TimeUnit.SECONDS), "allocated on jvb1");
        assertTrue(crashing.waitFor(10, TimeUnit.SECONDS), "killed");
        String meeting = only(jvb1.model().conferences().keySet());
        // the periodic save has the conference from when its room was joined; its bridge only from the allocation on
        System.out.printf("e2e: killed right after the allocation; the periodic save %s it on jvb1%n",
                Files.exists(saved) && savedHas(saved, meeting, "f6000006") ? "had written" : "had not written");
        // everybody goes while no focus runs, and does not come back
        joined.forEach(SimParticipant::close);
        focus.participants().removeAll(joined);

        focus.start(dir, ProsodyRestartE2ETest.conf(server, state, "focus.conference.rejoin-timeout = 2 seconds\n"));
        var manager = focus.get(FocusConferences.class).manager();
        await("expired on jvb1").atMost(Duration.ofSeconds(30)).until(() -> jvb1.model().conferences().isEmpty()
                && manager.conference(room) == null);
        assertEquals(Set.of(), jvb1.model().endpoints());
    }

    static String only(Set<String> ids) {
        assertEquals(1, ids.size(), ids::toString);
        return ids.iterator().next();
    }

    static boolean savedHas(Path file, String... all) {
        try {
            String s = Files.readString(file);
            for (String x : all) {
                if (!s.contains(x)) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;  // replaced while read: the next poll reads the new file
        }
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
