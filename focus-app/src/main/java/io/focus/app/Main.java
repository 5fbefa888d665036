package io.focus.app;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import com.typesafe.config.ConfigFactory;
import io.focus.app.metrics.FocusVersion;
import io.focus.app.config.ConfigError;
import io.focus.app.config.ConfigHolder;
import io.focus.app.config.ConfigLoader;
import io.focus.app.config.ConfigValidators;
import io.focus.app.config.LoadedConfig;
import io.focus.app.inject.FocusLifecycle;
import io.focus.core.loop.EventLoops;
import io.focus.core.loop.ExecutorEventLoop;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;
import sun.misc.Signal;

/**
 * {@code focus [--config FILE] [--check-config]}. Exit codes: 0 after a clean stop (SIGTERM) or a good
 * {@code --check-config}; 2 for bad configuration or usage; 1 when start-up fails otherwise.
 */
public final class Main {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_CONFIG = 2;

    private static final Logger log = LoggerFactory.getLogger(Main.class);

    /** Parsed command line. */
    public record Options(String config, boolean check, boolean help, boolean version) {
        public static Options parse(String[] args) {
            String config = null;
            boolean check = false;
            boolean help = false;
            boolean version = false;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--config") || a.equals("-c")) {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException(a + " needs a file");
                    }
                    config = args[++i];
                } else if (a.startsWith("--config=")) {
                    config = a.substring("--config=".length());
                } else if (a.equals("--check-config")) {
                    check = true;
                } else if (a.equals("--help") || a.equals("-h")) {
                    help = true;
                } else if (a.equals("--version")) {
                    version = true;
                } else {
                    throw new IllegalArgumentException("unknown argument: " + a);
                }
            }
            return new Options(config, check, help, version);
        }
    }

    private Main() {}

    public static void main(String[] args) {
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        int code = run(args, System.getenv(), System.out, System.err);
        if (code != EXIT_OK) {
            System.exit(code);
        }
    }

    static final String USAGE = "usage: focus [--config FILE] [--check-config] [--version]\n"
            + "  --config FILE    HOCON config (default: $FOCUS_CONFIG, else -Dconfig.file, else "
            + ConfigLoader.DEFAULT_CONFIG + ")\n"
            + "  --check-config   validate, print the effective settings (secrets masked) and exit\n";

    /** Runs the daemon until SIGTERM; returns the exit code. */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("focus: " + e.getMessage());
            err.print(USAGE);
            return EXIT_CONFIG;
        }
        if (o.help()) {
            out.print(USAGE);
            return EXIT_OK;
        }
        if (o.version()) {
            out.println("focus " + FocusVersion.implementationVersion());
            return EXIT_OK;
        }
        Path path = ConfigLoader.configPath(o.config(), env, System.getProperty("config.file"));
        ConfigLoader loader = new ConfigLoader(ConfigValidators.standard(), ConfigFactory.systemProperties());
        LoadedConfig initial;
        try {
            initial = loader.load(path);
        } catch (ConfigError e) {
            err.println("focus: invalid configuration: " + e.getMessage());
            return EXIT_CONFIG;
        }
        if (o.check()) {
            out.println("# configuration OK: " + path);
            out.println("# read (lowest precedence first): reference.conf defaults, " + String.join(", ", initial.sources())
                    + ", JVM system properties");
            initial.warnings().forEach(w -> out.println("# warning: " + w));
            out.print(ConfigLoader.renderEffective(initial.config()));
            return EXIT_OK;
        }
        initial.warnings().forEach(w -> log.warn("config: {}", w));
        log.info("Starting focus {} with {} (read {})", FocusVersion.implementationVersion(), path, initial.sources());

        ConfigHolder holder = new ConfigHolder(initial, () -> loader.load(path));
        Daemon daemon;
        try {
            daemon = Daemon.start(holder, Clock.systemUTC());
        } catch (Exception e) {
            log.error("Start-up failed: {}", e.toString(), e);
            err.println("focus: start-up failed: " + e);
            return EXIT_FAILURE;
        }
        daemon.installSignalHandlers();
        daemon.awaitStop();
        return EXIT_OK;
    }

    /** A running focus: the injector, its lifecycle, and signal handling. */
    public static final class Daemon {
        private final Injector injector;
        private final FocusLifecycle lifecycle;
        private final ConfigHolder holder;
        private final CountDownLatch stopped = new CountDownLatch(1);
        /** Reloads run one at a time, off the signal handler's thread. */
        private final ExecutorEventLoop reloader;

        private Daemon(Injector injector, ConfigHolder holder) {
            this.injector = injector;
            this.holder = holder;
            this.lifecycle = injector.getInstance(FocusLifecycle.class);
            this.reloader = injector.getInstance(EventLoops.class).create("config-reload");
        }

        public static Daemon start(ConfigHolder holder, Clock clock) throws Exception {
            Injector injector = Guice.createInjector(Stage.PRODUCTION, FocusModules.production(holder, clock));
            Daemon d = new Daemon(injector, holder);
            d.lifecycle.start();
            Runtime.getRuntime().addShutdownHook(new Thread(d::stop, "shutdown"));
            log.info("focus started");
            return d;
        }

        public Injector injector() { return injector; }

        /** SIGHUP reloads the configuration; SIGTERM stops cleanly with exit code 0. */
        void installSignalHandlers() {
            try {
                Signal.handle(new Signal("HUP"), s -> reloader.execute(() -> {
                    log.info("SIGHUP: reloading the configuration");
                    holder.reload();
                }));
            } catch (IllegalArgumentException e) {
                log.warn("SIGHUP reload unavailable on this JVM: {}", e.getMessage());
            }
            try {
                // the JVM's default TERM handling exits with 143; we stop cleanly (shutdown hook) and exit 0
                Signal.handle(new Signal("TERM"), s -> {
                    log.info("SIGTERM: stopping");
                    new Thread(() -> System.exit(EXIT_OK), "exit").start();
                });
            } catch (IllegalArgumentException e) {
                log.warn("SIGTERM handler unavailable on this JVM (-Xrs?): {}", e.getMessage());
            }
        }

        public void stop() {
            lifecycle.stop();
            reloader.close(java.time.Duration.ofSeconds(1));
            if (stopped.getCount() > 0) {
                log.info("focus stopped");
            }
            stopped.countDown();
        }

        void awaitStop() {
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
