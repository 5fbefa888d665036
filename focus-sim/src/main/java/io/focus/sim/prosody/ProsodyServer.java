package io.focus.sim.prosody;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.net.ssl.X509TrustManager;

import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Prosody for tests and demos: its own config, data and log in a temp dir, on a free loopback port,
 * started in the foreground ({@code prosody -F}) and stopped by PID.
 *
 * <p>Hosts (for domain {@code meet.test}): {@code meet.test} (internal_hashed), {@code guest.meet.test}
 * (anonymous), {@code auth.meet.test} (internal_hashed); MUC components {@code internal.auth.meet.test} (the
 * brewery lives here) and {@code conference.meet.test}; a pubsub component {@code pubsub.meet.test}; external
 * components when the options name some ({@link ProsodyOptions#withExternalComponents}).
 *
 * <p>Every started server is also stopped by a JVM shutdown hook, so a crashed test run leaves nothing behind.
 */
public final class ProsodyServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ProsodyServer.class);
    private static final Set<ProsodyServer> RUNNING = ConcurrentHashMap.newKeySet();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (ProsodyServer s : List.copyOf(RUNNING)) {
                try {
                    s.stop();
                } catch (RuntimeException e) {
                    // best effort during JVM exit
                }
            }
        }, "prosody-shutdown-hook"));
    }

    private final ProsodyOptions options;
    private final Path dir;
    private final Path config;
    private final int port;
    private final int componentPort;
    private volatile Process process;

    private ProsodyServer(ProsodyOptions options, Path dir, int port, int componentPort) {
        this.options = options;
        this.dir = dir;
        this.config = dir.resolve("prosody.cfg.lua");
        this.port = port;
        this.componentPort = componentPort;
    }

    /** Starts a server with {@link ProsodyOptions#defaults()}. */
    public static ProsodyServer start() {
        return start(ProsodyOptions.defaults());
    }

    /**
     * Writes a config into a new temp dir, starts Prosody and waits until its c2s port accepts connections.
     *
     * @throws IllegalStateException if Prosody is not installed or does not come up
     */
    public static ProsodyServer start(ProsodyOptions options) {
        String prosody = findExecutable("prosody").orElseThrow(() -> new IllegalStateException(
                "Prosody is not installed (no 'prosody' on PATH). Install it: apt-get install -y prosody "
                        + "(or run scripts/ensure-deps.sh)"));
        if (findExecutable("prosodyctl").isEmpty()) {
            throw new IllegalStateException("prosodyctl not found next to " + prosody
                    + ". Install it: apt-get install -y prosody (or run scripts/ensure-deps.sh)");
        }
        if (options.authHibernationTime() != null && !options.streamManagement()) {
            throw new IllegalArgumentException("a hibernation time needs stream management on: " + options);
        }
        try {
            Path dir = Files.createTempDirectory("focus-prosody-");
            int port = options.port() > 0 ? options.port() : freePort();
            int componentPort = options.externalComponents().isEmpty() ? -1 : freePort();
            ProsodyServer server = new ProsodyServer(options, dir, port, componentPort);
            server.writeConfig();
            server.launch();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare Prosody", e);
        }
    }

    // ---------------------------------------------------------------- accessors

    /** The address to connect to: always {@code 127.0.0.1}. */
    public String host() { return "127.0.0.1"; }

    /** The c2s port (fixed for the life of this object, also across {@link #restart()}). */
    public int port() { return port; }

    /**
     * The port external components connect to (XEP-0114), fixed for the life of this object; -1 when the options
     * name no {@link ProsodyOptions#withExternalComponents external components}.
     */
    public int componentPort() { return componentPort; }

    /** The main domain, e.g. {@code meet.test}. */
    public String domain() { return options.domain(); }

    /** {@code auth.<domain>}: where the focus and the bridges log in. */
    public String authDomain() { return "auth." + domain(); }

    /** {@code guest.<domain>}: anonymous logins. */
    public String guestDomain() { return "guest." + domain(); }

    /** {@code internal.auth.<domain>}: the MUC service of the brewery. */
    public String internalMucDomain() { return "internal.auth." + domain(); }

    /** {@code conference.<domain>}: the MUC service of conference rooms. */
    public String conferenceMucDomain() { return "conference." + domain(); }

    /** {@code pubsub.<domain>}: the pubsub service for legacy stats. */
    public String pubsubDomain() { return "pubsub." + domain(); }

    /** The default brewery room JID, {@code jvbbrewery@internal.auth.<domain>}. */
    public String breweryJid() { return "jvbbrewery@" + internalMucDomain(); }

    public ProsodyOptions options() { return options; }

    /** The temp dir holding config, data, log and certificates. */
    public Path directory() { return dir; }

    public Path configFile() { return config; }

    public Path logFile() { return dir.resolve("prosody.log"); }

    /** PID of the running Prosody, or -1 when stopped. */
    public long pid() {
        Process p = process;
        return p == null ? -1 : p.pid();
    }

    public boolean isRunning() {
        Process p = process;
        return p != null && p.isAlive();
    }

    // ---------------------------------------------------------------- users

    /** Registers (or re-sets the password of) {@code user@host}. Works before start and while running. */
    public void register(String user, String host, String password) {
        List<String> cmd = List.of(findExecutable("prosodyctl").orElse("prosodyctl"), "--config", config.toString(),
                "register", user, host, password);
        runChecked(cmd, "register " + user + "@" + host);
    }

    // ---------------------------------------------------------------- lifecycle

    /** Kills Prosody by PID (TERM, then KILL) and waits until the process is gone. Idempotent. */
    public synchronized void stop() {
        Process p = process;
        if (p == null) {
            return;
        }
        long pid = p.pid();
        ProcessHandle h = p.toHandle();
        h.destroy();
        try {
            if (!p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("Prosody pid={} did not stop on TERM within {}; killing", pid, STOP_TIMEOUT);
                h.destroyForcibly();
                p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            h.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        if (h.isAlive()) {
            throw new IllegalStateException("Prosody pid=" + pid + " is still alive after kill");
        }
        process = null;
        RUNNING.remove(this);
        log.info("Prosody stopped pid={} port={}", pid, port);
    }

    /** Stops Prosody and starts it again on the same port with the same config and data (a "Prosody blink"). */
    public synchronized void restart() {
        stop();
        launch();
    }

    /** Stops the server and deletes its temp dir. */
    @Override
    public void close() {
        stop();
        deleteDir();
    }

    /**
     * PIDs of every process on this machine running with this server's config (should be empty after
     * {@link #stop()}).
     */
    public List<Long> leftoverProcesses() {
        String cfg = config.toString();
        List<Long> pids = new ArrayList<>();
        ProcessHandle.allProcesses().forEach(ph -> {
            Optional<String> cl = ph.info().commandLine();
            if (ph.isAlive() && cl.isPresent() && cl.get().contains(cfg) && cl.get().contains("-F")) {
                pids.add(ph.pid());
            }
        });
        return pids;
    }

    /**
     * A Smack connection config for {@code localpart@xmppDomain} on this server. TLS is required when the server
     * has TLS on (trusting its self-signed certificate), disabled otherwise; stream management follows the server.
     */
    public XMPPTCPConnectionConfiguration.Builder connectionConfig(String localpart, String xmppDomain,
                                                                   String password, String resource) {
        try {
            XMPPTCPConnectionConfiguration.Builder b = XMPPTCPConnectionConfiguration.builder()
                    .setXmppDomain(xmppDomain)
                    .setHostAddress(InetAddress.getByName(host()))
                    .setPort(port)
                    .setConnectTimeout(10_000)
                    .setSendPresence(true);
            if (localpart != null) {
                b.setUsernameAndPassword(localpart, password);
            } else {
                b.performSaslAnonymousAuthentication();
            }
            if (resource != null) {
                b.setResource(resource);
            }
            if (options.tls()) {
                b.setSecurityMode(SecurityMode.required);
                b.setCustomX509TrustManager(TRUST_ALL);
                b.setHostnameVerifier((h, s) -> true);
            } else {
                b.setSecurityMode(SecurityMode.disabled);
            }
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An anonymous login on {@code guest.<domain>}. */
    public XMPPTCPConnectionConfiguration.Builder anonymousConfig() {
        return connectionConfig(null, guestDomain(), null, null);
    }

    @Override
    public String toString() {
        return "Prosody[" + domain() + " 127.0.0.1:" + port + " pid=" + pid() + " dir=" + dir + "]";
    }

    // ---------------------------------------------------------------- internals

    private synchronized void launch() {
        if (process != null && process.isAlive()) {
            return;
        }
        String prosody = findExecutable("prosody").orElseThrow();
        ProcessBuilder pb = new ProcessBuilder(prosody, "-F", "--config", config.toString())
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("prosody.stdout").toFile()));
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + prosody, e);
        }
        RUNNING.add(this);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            if (!process.isAlive()) {
                String tail = tail();
                process = null;
                RUNNING.remove(this);
                throw new IllegalStateException("Prosody exited during start-up (port " + port + "):\n" + tail);
            }
            if (accepts()) {
                break;
            }
            if (System.nanoTime() > deadline) {
                String tail = tail();
                stop();
                throw new IllegalStateException("Prosody did not accept connections on 127.0.0.1:" + port
                        + " within " + START_TIMEOUT + ":\n" + tail);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop();
                throw new IllegalStateException("interrupted while waiting for Prosody", e);
            }
        }
        log.info("Prosody started pid={} on 127.0.0.1:{} domain={} dir={}", process.pid(), port, domain(), dir);
    }

    private boolean accepts() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private String tail() {
        StringBuilder sb = new StringBuilder();
        for (String f : List.of("prosody.stdout", "prosody.log")) {
            Path p = dir.resolve(f);
            try {
                if (Files.exists(p)) {
                    List<String> lines = Files.readAllLines(p, StandardCharsets.UTF_8);
                    sb.append("--- ").append(p).append('\n');
                    lines.subList(Math.max(0, lines.size() - 30), lines.size()).forEach(l -> sb.append(l).append('\n'));
                }
            } catch (IOException e) {
                sb.append("(cannot read ").append(p).append(")\n");
            }
        }
        return sb.toString();
    }

    private void writeConfig() throws IOException {
        Files.createDirectories(dir.resolve("data"));
        Path certs = Files.createDirectories(dir.resolve("certs"));
        if (options.tls()) {
            makeCertificate(certs);
        }
        Files.writeString(config, ProsodyConfigFile.render(options, dir, certs, port, componentPort, isRoot()),
                StandardCharsets.UTF_8);
    }

    private void makeCertificate(Path certs) {
        String d = domain();
        String san = String.join(",", Stream.of(d, "guest." + d, "auth." + d, "internal.auth." + d,
                "conference." + d, "pubsub." + d, "localhost").map(h -> "DNS:" + h).toList()) + ",IP:127.0.0.1";
        String openssl = findExecutable("openssl").orElseThrow(() -> new IllegalStateException(
                "openssl is needed for a TLS test Prosody: apt-get install -y openssl (or run scripts/ensure-deps.sh)"));
        runChecked(List.of(openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30",
                "-subj", "/CN=" + d, "-addext", "subjectAltName=" + san,
                "-keyout", certs.resolve("meet.key").toString(), "-out", certs.resolve("meet.crt").toString()),
                "openssl self-signed certificate");
    }

    private void runChecked(List<String> cmd, String what) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(what + " timed out");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(what + " failed (exit " + p.exitValue() + "): "
                        + new String(out, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(what + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + " interrupted", e);
        }
    }

    private void deleteDir() {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.debug("could not delete {}", dir, e);
        }
    }

    private static boolean isRoot() {
        try {
            Process p = new ProcessBuilder("id", "-u").start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor(5, TimeUnit.SECONDS);
            return "0".equals(out);
        } catch (IOException e) {
            return "root".equals(System.getProperty("user.name"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "root".equals(System.getProperty("user.name"));
        }
    }

    static Optional<String> findExecutable(String name) {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/bin:/usr/sbin:/usr/local/bin";
        for (String d : path.split(":")) {
            if (d.isEmpty()) {
                continue;
            }
            Path p = Path.of(d, name);
            if (Files.isExecutable(p)) {
                return Optional.of(p.toString());
            }
        }
        return Optional.empty();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    /** Test servers use a throwaway self-signed certificate; clients made by {@link #connectionConfig} trust it. */
    private static final X509TrustManager TRUST_ALL = new X509TrustManager() {
        @Override public void checkClientTrusted(X509Certificate[] c, String a) { }
        @Override public void checkServerTrusted(X509Certificate[] c, String a) { }
        @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
    };
}
