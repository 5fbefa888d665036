package io.focus.app.http;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST server: Jetty on {@code jicofo.rest.host:port} (127.0.0.1:8888 by default) with
 * {@code focus.rest.threads} workers. Logs one line per request (method, path, status, time; never the
 * Authorization header).
 */
@Singleton
public final class HttpApi {
    private static final Logger log = LoggerFactory.getLogger(HttpApi.class);

    /**
     * How long a connection may stay silent — in the middle of a request (half a request line or header, a body
     * that stops coming) or idle between keep-alive requests — before Jetty closes it, so a stalled or hostile
     * client cannot hold a connection open. Not a config key: nothing in this API legitimately pauses a connection
     * for this long (handlers that wait, e.g. for an XMPP reply, wait less), and an operator has nothing to tune.
     */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);

    /** How long {@link #stop()} lets requests in progress finish before it closes their connections. */
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(1);

    private static final int MAX_BODY = 1 << 20;
    /** Jetty's connector threads, besides the workers: one acceptor, one selector. */
    private static final int ACCEPTORS = 1;
    private static final int SELECTORS = 1;

    private final RestSettings settings;
    private final AdminAuth auth;
    private final Duration idleTimeout;
    private final RouteTable routes = new RouteTable();
    private Server server;
    private ServerConnector connector;
    private GracefulHandler graceful;

    @Inject
    public HttpApi(RestSettings settings, AdminAuth auth, Set<Routes> routes) {
        this(settings, auth, routes, IDLE_TIMEOUT);
    }

    /** With another idle timeout: for tests that watch a stalled client being cut off. */
    HttpApi(RestSettings settings, AdminAuth auth, Set<Routes> routes, Duration idleTimeout) {
        this.settings = settings;
        this.auth = auth;
        this.idleTimeout = idleTimeout;
        for (Routes r : routes) {
            r.register(this.routes);
        }
    }

    public synchronized void start() throws IOException {
        if (!settings.enabled()) {
            log.info("REST API disabled (jicofo.rest.enabled = false)");
            return;
        }
        QueuedThreadPool pool = new QueuedThreadPool(settings.threads() + ACCEPTORS + SELECTORS,
                ACCEPTORS + SELECTORS + 1);
        pool.setName("http");
        pool.setDaemon(true);
        pool.setReservedThreads(0);
        Server s = new Server(pool, new ScheduledExecutorScheduler("http-scheduler", true), null);
        HttpConfiguration config = new HttpConfiguration();
        config.setSendServerVersion(false);
        ServerConnector c = new ServerConnector(s, ACCEPTORS, SELECTORS, new HttpConnectionFactory(config));
        c.setHost(settings.host());
        c.setPort(settings.port());
        c.setIdleTimeout(idleTimeout.toMillis());
        c.setAcceptQueueSize(64);
        s.addConnector(c);
        GracefulHandler g = new GracefulHandler(new ApiHandler());
        s.setHandler(g);
        // stop() waits for requests in progress itself (below); Jetty's own graceful stop would also wait for idle
        // keep-alive connections to close, i.e. for their clients
        s.setStopTimeout(0);
        try {
            s.start();
        } catch (Exception e) {
            stopQuietly(s);
            if (e instanceof IOException io) {
                throw io;
            }
            throw new IOException("REST API could not start on " + settings.host() + ":" + settings.port(), e);
        }
        server = s;
        connector = c;
        graceful = g;
        log.info("REST API listening on {}:{}{}", settings.host(), port(),
                auth.tokenConfigured() ? " (admin calls need the bearer token)" : "");
    }

    /** The bound port (useful when configured as 0), or -1 when not started. */
    public synchronized int port() {
        return server == null ? -1 : connector.getLocalPort();
    }

    /**
     * Lets requests in progress finish for up to {@link #STOP_TIMEOUT} (new ones are answered 503 meanwhile),
     * then closes every connection.
     */
    public synchronized void stop() {
        if (server != null) {
            try {
                graceful.shutdown().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                log.warn("REST API: requests still running after {} ms are cut off", STOP_TIMEOUT.toMillis());
            } catch (ExecutionException e) {
                log.warn("REST API: waiting for requests in progress failed", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stopQuietly(server);
            server = null;
            connector = null;
            graceful = null;
            log.info("REST API stopped");
        }
    }

    private static void stopQuietly(Server s) {
        try {
            s.stop();
        } catch (Exception e) {
            log.warn("REST API did not stop cleanly", e);
        }
    }

    /** Every request: find the endpoint, check the token, run it, write its reply, log one line. */
    private final class ApiHandler extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            long start = System.nanoTime();
            String method = request.getMethod();
            String path = request.getHttpURI().getPath();
            Reply reply;
            try {
                reply = dispatch(request, method, path);
            } catch (Reply.Failure f) {
                reply = f.reply();
            } catch (Exception e) {
                if (e instanceof HttpException h && h.getCode() < 500) {
                    // Jetty refused part of the request, e.g. a query string with a broken %-escape
                    reply = Reply.text(h.getCode(), "bad request: " + h.getReason());
                } else {
                    log.error("HTTP {} {} failed", method, path, e);
                    reply = Reply.text(500, "internal error: " + e.getClass().getSimpleName());
                }
            }
            write(response, reply, callback);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            if (path.startsWith("/metrics") || path.startsWith("/about/health")) {
                log.debug("HTTP {} {} {} {}ms", method, path, reply.status(), ms);
            } else {
                String query = request.getHttpURI().getQuery();
                log.info("HTTP {} {}{} {} {}ms from {}", method, path, query == null ? "" : "?" + query,
                        reply.status(), ms, Request.getRemoteAddr(request));
            }
            return true;
        }
    }

    private Reply dispatch(Request request, String method, String path) throws Exception {
        RouteTable.Match m = routes.match(path);
        if (m == null) {
            return Reply.text(404, "not found");
        }
        RouteTable.Endpoint endpoint = m.methods().get(method);
        if (endpoint == null) {
            return Reply.text(405, "method not allowed");
        }
        Call call = new Call(request, m.params(), readBody(request));
        if (endpoint.admin() && !auth.allows(call)) {
            log.warn("HTTP {} {} refused: missing or wrong bearer token (from {})", method, path, call.remote());
            return Reply.text(401, "unauthorized: this call needs Authorization: Bearer <focus.rest.token>");
        }
        return endpoint.handler().handle(call);
    }

    private static void write(Response response, Reply reply, Callback callback) {
        response.setStatus(reply.status());
        HttpFields.Mutable h = response.getHeaders();
        if (reply.contentType() != null) {
            h.put(HttpHeader.CONTENT_TYPE, reply.contentType());
        }
        if (reply.status() == 401) {
            h.put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
        }
        reply.headers().forEach(h::put);
        h.put(HttpHeader.CONTENT_LENGTH, reply.body().length);
        response.write(true, ByteBuffer.wrap(reply.body()), callback);
    }

    private static byte[] readBody(Request request) {
        byte[] b;
        try {
            b = Content.Source.asInputStream(request).readNBytes(MAX_BODY + 1);
        } catch (IOException e) {
            // the client stopped sending for IDLE_TIMEOUT, or went away: the answer reaches it if it still listens
            throw Reply.fail(408, "request timeout: the request body did not arrive");
        }
        if (b.length > MAX_BODY) {
            throw Reply.fail(413, "request body too large");
        }
        return b;
    }
}
