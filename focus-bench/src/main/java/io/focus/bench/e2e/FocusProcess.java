package io.focus.bench.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The real focus daemon as a process ({@code bin/focus --config FILE}) with a config made of the sample
 * ({@code etc/jicofo.conf.sample}, included) plus what the test bed needs: the Prosody address, the brewery, the
 * credentials, a REST port.
 */
public final class FocusProcess implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final int restPort;

    private FocusProcess(Process process, Path log, int restPort) {
        this.process = process;
        this.log = log;
        this.restPort = restPort;
    }

    /**
     * @param checkout the checkout root (bin/focus, etc/)
     * @param extraConfig HOCON appended after the generated keys (e.g. the strategy)
     */
    public static FocusProcess start(Path checkout, Path workDir, String xmppHost, int xmppPort, String domain,
                                     String focusPassword, String breweryJid, String extraConfig, String javaOpts)
            throws IOException {
        int port = freePort();
        Path conf = workDir.resolve("jicofo.conf");
        String text = String.join("\n",
                "# written by the demo: the sample config, plus where this demo's Prosody and brewery are",
                "include file(\"" + checkout.resolve("etc/jicofo.conf.sample").toAbsolutePath() + "\")",
                "jicofo.xmpp.client {",
                "  hostname = \"" + xmppHost + "\"",
                "  port = " + xmppPort,
                "  xmpp-domain = \"" + domain + "\"",
                "  domain = \"auth." + domain + "\"",
                "  password = \"" + focusPassword + "\"",
                "  use-tls = false",
                "}",
                "jicofo.bridge.brewery-jid = \"" + breweryJid + "\"",
                "jicofo.rest.port = " + port,
                extraConfig == null ? "" : extraConfig,
                "");
        Files.writeString(conf, text, StandardCharsets.UTF_8);
        return launch(checkout, workDir, conf, port, javaOpts);
    }

    /**
     * Runs {@code bin/focus --config} with a config file of exactly {@code configText} (written to
     * {@code workDir/jicofo.conf}); {@code restPort} must be the REST port that config sets.
     */
    public static FocusProcess startWithConfig(Path checkout, Path workDir, String configText, int restPort,
                                               String javaOpts) throws IOException {
        Path conf = workDir.resolve("jicofo.conf");
        Files.writeString(conf, configText, StandardCharsets.UTF_8);
        return launch(checkout, workDir, conf, restPort, javaOpts);
    }

    /** A TCP port free on this machine now (for the REST API). */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static FocusProcess launch(Path checkout, Path workDir, Path conf, int port, String javaOpts)
            throws IOException {
        Path log = workDir.resolve("focus.log");
        ProcessBuilder pb = new ProcessBuilder(checkout.resolve("bin/focus").toString(), "--config", conf.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(
                        Path.of("/dev/null").toFile()));
        pb.environment().remove("FOCUS_CONFIG");
        pb.environment().put("JAVA_OPTS", javaOpts);
        return new FocusProcess(pb.start(), log, port);
    }

    public int restPort() { return restPort; }

    public Path log() { return log; }

    public long pid() { return process.pid(); }

    public boolean alive() { return process.isAlive(); }

    /** SIGTERM, then waits; the exit code, or -1 when it had to be killed. */
    public int stop(Duration timeout) throws InterruptedException {
        if (!process.isAlive()) {
            return process.exitValue();
        }
        process.destroy();
        if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return process.exitValue();
        }
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
        return -1;
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
