package io.focus.app.http;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST server: the JDK's {@link HttpServer} on {@code jicofo.rest.host:port} (127.0.0.1:8888 by default) with
 * a small fixed pool. Logs one line per request (method, path, status, time; never the Authorization header).
 */
@Singleton
public final class HttpApi {
    private static final Logger log = LoggerFactory.getLogger(HttpApi.class);
    private static final int MAX_BODY = 1 << 20;

    private final RestSettings settings;
    private final AdminAuth auth;
    private final Router router = new Router();
    private HttpServer server;
    private ExecutorService executor;

    @Inject
    public HttpApi(RestSettings settings, AdminAuth auth, Set<Routes> routes) {
        this.settings = settings;
        this.auth = auth;
        for (Routes r : routes) {
            r.register(router);
        }
    }

    public synchronized void start() throws IOException {
        if (!settings.enabled()) {
            log.info("REST API disabled (jicofo.rest.enabled = false)");
            return;
        }
        server = HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), 64);
        AtomicInteger n = new AtomicInteger();
        executor = new ThreadPoolExecutor(settings.threads(), settings.threads(), 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(256), r -> {
                    Thread t = new Thread(r, "http-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        log.info("REST API listening on {}:{}{}", settings.host(), port(),
                auth.tokenConfigured() ? " (admin calls need the bearer token)" : "");
    }

    /** The bound port (useful when configured as 0), or -1 when not started. */
    public synchronized int port() {
        return server == null ? -1 : server.getAddress().getPort();
    }

    public synchronized void stop() {
        if (server != null) {
            server.stop(1);
            executor.shutdownNow();
            server = null;
            log.info("REST API stopped");
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        long start = System.nanoTime();
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getRawPath();
        Response resp;
        try {
            resp = dispatch(ex, method, path);
        } catch (Response.Failure f) {
            resp = f.response();
        } catch (RuntimeException e) {
            log.error("HTTP {} {} failed", method, path, e);
            resp = Response.text(500, "internal error: " + e.getClass().getSimpleName());
        } catch (Exception e) {
            log.error("HTTP {} {} failed", method, path, e);
            resp = Response.text(500, "internal error: " + e.getClass().getSimpleName());
        }
        try {
            ex.getResponseHeaders().set("Content-Type", resp.contentType());
            if (resp.status() == 401) {
                ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            }
            byte[] body = resp.body();
            if ("HEAD".equals(method)) {
                ex.sendResponseHeaders(resp.status(), -1);
            } else {
                ex.sendResponseHeaders(resp.status(), body.length == 0 ? -1 : body.length);
                if (body.length > 0) {
                    try (OutputStream os = ex.getResponseBody()) {
                        os.write(body);
                    }
                }
            }
        } finally {
            ex.close();
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            String query = ex.getRequestURI().getRawQuery();
            if (path.startsWith("/metrics") || path.startsWith("/about/health")) {
                log.debug("HTTP {} {} {} {}ms", method, path, resp.status(), ms);
            } else {
                log.info("HTTP {} {}{} {} {}ms from {}", method, path, query == null ? "" : "?" + query,
                        resp.status(), ms, ex.getRemoteAddress().getAddress().getHostAddress());
            }
        }
    }

    private Response dispatch(HttpExchange ex, String method, String path) throws Exception {
        boolean[] wrongMethod = new boolean[1];
        Router.Match m = router.match(method, path, wrongMethod);
        if (m == null) {
            return wrongMethod[0] ? Response.text(405, "method not allowed") : Response.text(404, "not found");
        }
        Request req = new Request(method, path, Request.parseQuery(ex.getRequestURI().getRawQuery()),
                ex.getRequestHeaders(), readBody(ex.getRequestBody()), m.params(),
                ex.getRemoteAddress().getAddress().getHostAddress());
        if (m.route().mutating() && !auth.allows(req)) {
            log.warn("HTTP {} {} refused: missing or wrong bearer token (from {})", method, path, req.remote());
            return Response.text(401, "unauthorized: this call needs Authorization: Bearer <focus.rest.token>");
        }
        return m.route().handler().handle(req);
    }

    private static byte[] readBody(InputStream in) throws IOException {
        byte[] b = in.readNBytes(MAX_BODY + 1);
        if (b.length > MAX_BODY) {
            throw Response.fail(413, "request body too large");
        }
        return b;
    }
}
