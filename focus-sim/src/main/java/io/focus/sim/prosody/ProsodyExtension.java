package io.focus.sim.prosody;

import java.util.List;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension giving a test class one real Prosody:
 * <pre>{@code
 * @RegisterExtension static ProsodyExtension prosody = new ProsodyExtension();
 * }</pre>
 * Registers {@code focus@auth.<domain>} / {@code focuspass} and {@code jvb@auth.<domain>} / {@code jvbpass}.
 * After all tests (also when one failed) it stops Prosody and fails the class if a Prosody process with this
 * server's config is left behind. Registered as a non-static field it gives each test its own server.
 */
public final class ProsodyExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    public static final String FOCUS_USER = "focus";
    public static final String FOCUS_PASSWORD = "focuspass";
    public static final String JVB_USER = "jvb";
    public static final String JVB_PASSWORD = "jvbpass";

    private final ProsodyOptions options;
    private ProsodyServer server;
    private boolean perMethod;

    public ProsodyExtension() {
        this(ProsodyOptions.defaults());
    }

    public ProsodyExtension(ProsodyOptions options) {
        this.options = options;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        startIfNeeded();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (server == null) {
            perMethod = true;
            startIfNeeded();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (perMethod) {
            shutDown();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        shutDown();
    }

    /** The running server (started before the first test). */
    public ProsodyServer server() {
        if (server == null) {
            throw new IllegalStateException("ProsodyExtension not started: register it with @RegisterExtension");
        }
        return server;
    }

    public String host() { return server().host(); }
    public int port() { return server().port(); }
    public String domain() { return server().domain(); }

    private synchronized void startIfNeeded() {
        if (server != null) {
            return;
        }
        ProsodyServer s = ProsodyServer.start(options);
        try {
            s.register(FOCUS_USER, s.authDomain(), FOCUS_PASSWORD);
            s.register(JVB_USER, s.authDomain(), JVB_PASSWORD);
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        server = s;
    }

    private synchronized void shutDown() {
        ProsodyServer s = server;
        if (s == null) {
            return;
        }
        server = null;
        long pid = s.pid();
        s.stop();
        List<Long> left = s.leftoverProcesses();
        boolean pidAlive = pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        s.close();
        if (!left.isEmpty() || pidAlive) {
            throw new AssertionError("Prosody left behind after the tests: pid " + pid + " alive=" + pidAlive
                    + ", processes with its config: " + left);
        }
    }
}
