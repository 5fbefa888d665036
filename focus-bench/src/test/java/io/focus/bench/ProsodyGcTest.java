package io.focus.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProsodyGcTest {
    @Test
    void namesTurnIntoProsodysGcOption() {
        assertEquals("", ProsodyGc.config("default"));
        assertEquals("gc = { mode = \"generational\" }", ProsodyGc.config("generational"));
        assertEquals("gc = { mode = \"incremental\"; threshold = 400; speed = 250 }",
                ProsodyGc.config("incremental:400:250"));
    }

    @Test
    void anythingElseIsRefusedNamingWhatIsExpected() {
        for (String bad : new String[] {"", "gen", "incremental:400", "incremental:x:250", "incremental:4:250",
                "generational; os.exit()"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProsodyGc.config(bad));
            assertTrue(e.getMessage().contains(ProsodyGc.USAGE), e.getMessage());
        }
    }
}
