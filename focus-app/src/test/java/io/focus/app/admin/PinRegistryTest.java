package io.focus.app.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focus.app.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PinRegistryTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final MutableClock clock = new MutableClock(T0);
    private final PinRegistry pins = new PinRegistry(clock);

    @Test
    void aPinHoldsUntilItsEndTimeAndNotAfter() {
        PinRegistry.Pin p = pins.pin(" Room1@Conference.meet.test ", " 2.3-a ", Duration.ofMinutes(10));
        assertEquals(new PinRegistry.Pin("room1@conference.meet.test", "2.3-a", T0.plus(Duration.ofMinutes(10))), p);

        clock.advance(Duration.ofMinutes(10).minusNanos(1));
        assertEquals("2.3-a", pins.pinnedVersion("ROOM1@conference.meet.test"));
        assertEquals(List.of(p), pins.list());

        clock.advance(Duration.ofNanos(1));
        assertNull(pins.pinnedVersion("room1@conference.meet.test"));
        assertEquals(List.of(), pins.list());
    }

    @Test
    void pinningAgainReplacesThePinAndItsEndTime() {
        pins.pin("r@c", "1", Duration.ofMinutes(10));
        clock.advance(Duration.ofMinutes(5));
        pins.pin("r@c", "2", Duration.ofMinutes(1));
        clock.advance(Duration.ofSeconds(59));
        assertEquals("2", pins.pinnedVersion("r@c"));
        clock.advance(Duration.ofSeconds(1));
        assertNull(pins.pinnedVersion("r@c"), "the new, shorter pin ends the pin");

        pins.pin("s@c", "1", Duration.ofMinutes(1));
        pins.pin("s@c", "2", Duration.ofMinutes(10));
        clock.advance(Duration.ofMinutes(5));
        assertEquals("2", pins.pinnedVersion("s@c"), "the new, longer pin lasts");
    }

    @Test
    void listIsSoonestToExpireFirst() {
        pins.pin("late@c", "1", Duration.ofMinutes(30));
        pins.pin("soon@c", "1", Duration.ofMinutes(1));
        pins.pin("mid@c", "1", Duration.ofMinutes(5));
        assertEquals(List.of("soon@c", "mid@c", "late@c"),
                pins.list().stream().map(PinRegistry.Pin::conferenceId).toList());
    }

    @Test
    void unpinRemovesOnlyALivePin() {
        pins.pin("r@c", "1", Duration.ofMinutes(1));
        assertTrue(pins.unpin("R@C"));
        assertFalse(pins.unpin("r@c"));
        assertNull(pins.pinnedVersion("r@c"));

        pins.pin("r@c", "1", Duration.ofMinutes(1));
        clock.advance(Duration.ofMinutes(1));
        assertFalse(pins.unpin("r@c"), "an expired pin is gone already");
    }

    @Test
    void expiredPinsAreDroppedEvenIfNobodyAsksForThem() {
        for (int i = 0; i < 500; i++) {
            pins.pin("room" + i + "@c", "1", Duration.ofMinutes(1));
        }
        assertEquals(500, pins.size());
        clock.advance(Duration.ofMinutes(2));
        pins.pin("last@c", "1", Duration.ofMinutes(1));
        pins.list();
        assertEquals(1, pins.size());
    }

    @Test
    void badInputIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> pins.pin(" ", "1", Duration.ofMinutes(1)));
        assertThrows(IllegalArgumentException.class, () -> pins.pin("r@c", null, Duration.ofMinutes(1)));
        assertThrows(IllegalArgumentException.class, () -> pins.pin("r@c", "1", Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> pins.pin("r@c", "1", Duration.ofMinutes(-1)));
        assertNull(pins.pinnedVersion(null));
        assertEquals(0, pins.size());
    }
}
