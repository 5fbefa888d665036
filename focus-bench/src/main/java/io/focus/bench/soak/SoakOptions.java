package io.focus.bench.soak;

import io.focus.bench.ProsodyGc;
import java.nio.file.Path;

/**
 * The soak run's options: how long the chaos lasts, how many calls of how many participants, how many bridges, the
 * seed of every random choice, and whether the focus runs with the aggressive health settings.
 *
 * @param minutes       length of the chaos window
 * @param calls         calls set up before the chaos, kept through it
 * @param perCall       participants per call
 * @param bridges       simulated bridges at any time (faulted ones are brought back or replaced)
 * @param seed          seed of the fault sequence and of the bridges' stream-management choice
 * @param aggressive    the focus with CallBench's aggressive health settings (checks every 1 s)
 * @param settleSeconds after the chaos (every fault undone), how long participants may take to be complete again
 * @param sampleMillis  how often every participant's call is looked at
 * @param leakWaitSeconds after the first leak check, how long leaks may take to clear (checked again every 1 s)
 * @param checkout      the checkout root, for {@code bin/focus}
 * @param prosodyGc     Prosody's Lua garbage collector: {@code default} (Prosody's own: incremental, threshold 105,
 *                      speed 500), {@code generational}, or {@code incremental:THRESHOLD:SPEED}
 * @param prosodyReadSize Prosody's {@code network_default_read_size}: the bytes it reads from a client's connection
 *                      at a time (0: Prosody's own, 4096)
 */
record SoakOptions(int minutes, int calls, int perCall, int bridges, long seed, boolean aggressive, int settleSeconds,
                   int sampleMillis, int leakWaitSeconds, Path checkout, String prosodyGc,
                   int prosodyReadSize) {
    static final String USAGE = "usage: SoakBench [--minutes 10] [--calls 200] [--participants-per-call 3] "
            + "[--bridges 6] [--seed N] [--aggressive] [--settle-seconds 30] [--sample-ms 200] "
            + "[--leak-wait-seconds 30] [--prosody-gc " + ProsodyGc.USAGE + "] [--prosody-read-size BYTES] "
            + "[--checkout DIR]";

    static SoakOptions parse(String[] args) {
        int minutes = 10;
        int calls = 200;
        int perCall = 3;
        int bridges = 6;
        long seed = System.currentTimeMillis() % 100_000;
        boolean aggressive = false;
        int settle = 30;
        int sample = 200;
        int leakWait = 30;
        Path checkout = Path.of(".");
        String gc = "default";
        int readSize = 0;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--aggressive")) {
                aggressive = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value");
            }
            String v = args[++i];
            switch (a) {
                case "--minutes" -> minutes = Integer.parseInt(v);
                case "--calls" -> calls = Integer.parseInt(v);
                case "--participants-per-call" -> perCall = Integer.parseInt(v);
                case "--bridges" -> bridges = Integer.parseInt(v);
                case "--seed" -> seed = Long.parseLong(v);
                case "--settle-seconds" -> settle = Integer.parseInt(v);
                case "--sample-ms" -> sample = Integer.parseInt(v);
                case "--leak-wait-seconds" -> leakWait = Integer.parseInt(v);
                case "--checkout" -> checkout = Path.of(v);
                case "--prosody-gc" -> gc = v;
                case "--prosody-read-size" -> readSize = Integer.parseInt(v);
                default -> throw new IllegalArgumentException("unknown argument " + a);
            }
        }
        if (minutes < 1 || calls < 1 || perCall < 2 || bridges < 3 || settle < 1 || sample < 20 || sample > 1000
                || leakWait < 0) {
            throw new IllegalArgumentException("need --minutes >= 1, --calls >= 1, --participants-per-call >= 2, "
                    + "--bridges >= 3, --settle-seconds >= 1, --sample-ms 20..1000, --leak-wait-seconds >= 0");
        }
        if (readSize != 0 && (readSize < 1024 || readSize > 1 << 20)) {
            throw new IllegalArgumentException("--prosody-read-size: 1024..1048576 bytes, got " + readSize);
        }
        try {
            ProsodyGc.config(gc);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--prosody-gc: " + e.getMessage());
        }
        return new SoakOptions(minutes, calls, perCall, bridges, seed, aggressive, settle, sample, leakWait,
                checkout.toAbsolutePath().normalize(), gc, readSize);
    }

    /** The command that repeats this run (same seed). */
    String command() {
        return "scripts/soak.sh --minutes " + minutes + " --calls " + calls + " --participants-per-call " + perCall
                + " --bridges " + bridges + " --seed " + seed + (aggressive ? " --aggressive" : "")
                + " --settle-seconds " + settleSeconds + " --sample-ms " + sampleMillis + " --leak-wait-seconds "
                + leakWaitSeconds + (prosodyGc.equals("default") ? "" : " --prosody-gc " + prosodyGc)
                + (prosodyReadSize == 0 ? "" : " --prosody-read-size " + prosodyReadSize);
    }

    /** The {@code gc} line of Prosody's global config for {@link #prosodyGc}, empty for Prosody's own default. */
    String prosodyGcConfig() {
        return ProsodyGc.config(prosodyGc);
    }

    /** The global-section Lua lines for Prosody's GC and read size, as this run sets them (empty: Prosody's own). */
    String prosodyConfig() {
        String rs = prosodyReadSize == 0 ? "" : "network_default_read_size = " + prosodyReadSize;
        return String.join("\n", java.util.stream.Stream.of(prosodyGcConfig(), rs).filter(x -> !x.isEmpty()).toList());
    }

    /** At most this many bridges are faulted at once (so a double fault never looks like the focus's own trouble). */
    int maxFaulted() {
        return Math.max(1, bridges / 3);
    }

    /** A fault is injected only while at least this many other bridges are usable (operational, no fault). */
    int minUsable() {
        return Math.max(2, (bridges + 1) / 2);
    }
}
