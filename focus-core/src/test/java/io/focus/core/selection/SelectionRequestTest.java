package io.focus.core.selection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.focus.core.bridge.BridgeSnapshot;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The selection SPI's input is immutable: a plug-in cannot change it, and the caller cannot change it under one. */
class SelectionRequestTest {
    static final BridgeSnapshot EMPTY = new BridgeSnapshot(1, Instant.EPOCH, List.of());

    @Test
    void conferenceBridgesAreCopiedInTheCallersOrderAndCannotBeChanged() {
        Map<String, ConferenceBridgeProperties> caller = new LinkedHashMap<>();
        for (String id : List.of("jvb3", "jvb1", "jvb2")) {
            caller.put(id, ConferenceBridgeProperties.of(1));
        }
        SelectionRequest r = SelectionRequest.of(EMPTY, caller, null);
        caller.put("jvb9", ConferenceBridgeProperties.of(5));
        caller.remove("jvb1");

        assertEquals(List.of("jvb3", "jvb1", "jvb2"), List.copyOf(r.conferenceBridges().keySet()),
                "the caller's later changes do not reach the request; the order the conference used them is kept");
        assertThrows(UnsupportedOperationException.class,
                () -> r.conferenceBridges().put("jvb4", ConferenceBridgeProperties.of(1)));
        assertThrows(UnsupportedOperationException.class, () -> r.conferenceBridges().remove("jvb3"));
        assertEquals(Map.of(), SelectionRequest.of(EMPTY, null, null).conferenceBridges());
    }

    @Test
    void aNullBridgeIdOrPropertiesIsRefusedAtOnce() {
        Map<String, ConferenceBridgeProperties> nullValue = new HashMap<>();
        nullValue.put("jvb1", null);
        assertThrows(NullPointerException.class, () -> SelectionRequest.of(EMPTY, nullValue, null));
        Map<String, ConferenceBridgeProperties> nullKey = new HashMap<>();
        nullKey.put(null, ConferenceBridgeProperties.of(1));
        assertThrows(NullPointerException.class, () -> SelectionRequest.of(EMPTY, nullKey, null));
    }
}
