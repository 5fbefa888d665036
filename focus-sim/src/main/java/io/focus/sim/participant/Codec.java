package io.focus.sim.participant;

import java.util.Map;

/** A {@code <payload-type>} of an offer: media, payload type id, name, clock rate, channels and parameters. */
public record Codec(String media, int id, String name, int clockrate, int channels, Map<String, String> parameters) {
    public Codec {
        parameters = Map.copyOf(parameters);
    }
}
