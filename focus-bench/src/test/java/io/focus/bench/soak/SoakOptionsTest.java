package io.focus.bench.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SoakOptionsTest {
    @Test
    void prosodysReadSizeAndGcGoIntoItsGlobalConfigAndTheRepeatCommand() {
        SoakOptions o = SoakOptions.parse(new String[] {"--seed", "13", "--prosody-gc", "generational",
                "--prosody-read-size", "65536"});
        assertEquals("gc = { mode = \"generational\" }\nnetwork_default_read_size = 65536", o.prosodyConfig());
        assertTrue(o.command().endsWith(" --prosody-gc generational --prosody-read-size 65536"), o.command());
        assertEquals(o.prosodyConfig(), SoakOptions.parse(o.command().substring("scripts/soak.sh ".length())
                .split(" ")).prosodyConfig(), "the printed command repeats the run");
    }

    @Test
    void prosodysOwnSettingsAddNothing() {
        SoakOptions o = SoakOptions.parse(new String[] {"--seed", "13"});
        assertEquals("", o.prosodyConfig());
        assertTrue(!o.command().contains("--prosody"), o.command());
    }

    @Test
    void aReadSizeOutOfRangeIsRefusedNamingTheOption() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SoakOptions.parse(new String[] {"--prosody-read-size", "100"}));
        assertTrue(e.getMessage().startsWith("--prosody-read-size"), e.getMessage());
    }
}
