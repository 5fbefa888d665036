package io.focus.conference;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focus.core.testing.ManualLoop;
import io.prometheus.client.CollectorRegistry;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The manager is never built with a collaborator quietly left out: a manager with no signaller would place
 * participants on bridges and never tell them (the do-nothing default that once kept every call without media).
 */
class ConferenceManagerBuilderTest {
    private final ManualLoop loop = new ManualLoop();

    private ConferenceManager.Builder complete() {
        return ConferenceManager.builder().settings(ConferenceSettings.defaults(Harness.MUC))
                .bridges(new FakeBridges()).selector(new TestSelector()).backend(new FakeBackend())
                .rooms(new FakeRooms()).loop(loop).clock(loop.clock).metrics(new CollectorRegistry())
                .signaller(ParticipantSignaller.NONE).feedback(BridgeFeedback.NONE);
    }

    @Test
    void everyCollaboratorSetBuilds() {
        assertDoesNotThrow(() -> complete().build());
    }

    @Test
    void aMissingSignallerFeedbackClockOrRegistryIsRefusedByName() {
        refused(b -> b.signaller(null), "signaller");
        refused(b -> b.feedback(null), "feedback");
        refused(b -> b.clock(null), "clock");
        refused(b -> b.metrics(null), "metrics");
    }

    private void refused(UnaryOperator<ConferenceManager.Builder> unset, String name) {
        NullPointerException e = assertThrows(NullPointerException.class, () -> unset.apply(complete()).build());
        assertTrue(e.getMessage().startsWith(name), e.getMessage());
    }
}
