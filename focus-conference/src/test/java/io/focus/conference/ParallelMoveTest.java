package io.focus.conference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Nothing serialises a move per conference: the allocations of every participant of a failed bridge are requested
 * together, and each participant is handed to the signaller (which offers at once) as soon as its own allocation
 * is answered, whatever the others' allocations are doing.
 */
class ParallelMoveTest {
    @Test
    void theMoversAllocationsGoOutTogetherAndEachIsSignalledAsItsOwnReturns() {
        Harness h = new Harness();
        h.bridges.add("jvb1", 0.1, null);
        h.bridges.add("jvb2", 0.5, null);
        h.conference("c", "a", null, "b", null, "c", null);
        assertEquals(List.of("placed a jvb1", "placed b jvb1", "placed c jvb1"), h.signals);
        h.signals.clear();
        h.backend.calls.clear();
        h.backend.hung.add(FakeBridges.id("jvb2")); // jvb2 holds its answers until told

        h.bridges.fail("jvb1");
        h.loop.runPending();

        assertEquals(List.of("moving a jvb1", "moving b jvb1", "moving c jvb1"), h.signals);
        assertEquals(List.of("jvb2 allocate a create", "jvb2 allocate b", "jvb2 allocate c"),
                h.backend.calls.stream().filter(x -> x.startsWith("jvb2 allocate")).toList(),
                "all three requested before any answer");
        assertEquals(3, h.backend.held.size());

        // The answers come back one at a time: each participant is signalled as its own comes.
        for (String id : List.of("a", "b", "c")) {
            Runnable[] next = h.backend.held.remove(0);
            next[0].run();
            h.loop.runPending();
            assertEquals("placed " + id + " jvb2", h.signals.get(h.signals.size() - 1));
        }
        assertEquals(6, h.signals.size());
    }
}
