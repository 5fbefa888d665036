package io.focus.app.http;

import static io.focus.app.testing.TestFiles.VALID;
import static io.focus.app.testing.TestFiles.write;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

import io.focus.app.config.ConfigHolder;
import io.focus.app.config.ConfigLoader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server itself: stalled clients are cut off after the idle timeout, others are served, stop is graceful. */
class HttpServerTest {
    /** Short, so the tests need not wait for the real {@link HttpApi#IDLE_TIMEOUT}. */
    static final Duration IDLE = Duration.ofMillis(500);
    /** Only a bound, so that a server that never cuts a client off fails the test instead of hanging it. */
    static final int SAFETY_NET_MS = 15_000;

    @TempDir Path dir;
    final HttpClient http = HttpClient.newHttpClient();
    final CountDownLatch slowEntered = new CountDownLatch(1);
    final CountDownLatch slowRelease = new CountDownLatch(1);
    HttpApi api;
    int port;

    void start() throws Exception {
        Path file = write(dir, "jicofo.conf", VALID);
        ConfigLoader loader = ConfigLoader.standard();
        ConfigHolder holder = new ConfigHolder(loader.load(file), () -> loader.load(file));
        RestSettings settings = new RestSettings(true, "127.0.0.1", 0, 2, true, true, true, true, true);
        Routes routes = r -> r
                .get("/ping", call -> Reply.text(200, "pong"))
                .publicPost("/echo", call -> Reply.ok(call.json(java.util.Map.class)))
                .get("/slow", call -> {
                    slowEntered.countDown();
                    assertTrue(slowRelease.await(SAFETY_NET_MS, TimeUnit.MILLISECONDS));
                    return Reply.text(200, "done");
                });
        api = new HttpApi(settings, new AdminAuth(holder), Set.of(routes), IDLE);
        api.start();
        port = api.port();
    }

    @AfterEach
    void stop() {
        slowRelease.countDown();
        if (api != null) {
            api.stop();
        }
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Reads until the server closes the connection; what it sent before closing. Fails if it never closes. */
    static String readUntilClosed(Socket s) throws IOException {
        s.setSoTimeout(SAFETY_NET_MS);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[1024];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                got.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            fail("the server kept a stalled connection open for " + SAFETY_NET_MS + " ms");
        } catch (IOException reset) {
            // closed with a reset: cut off as well
        }
        return got.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void aClientThatSendsHalfTheHeadersIsCutOffAndOthersAreServed() throws Exception {
        start();
        try (Socket stalled = new Socket("127.0.0.1", port)) {
            stalled.getOutputStream().write("GET /ping HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: te"
                    .getBytes(StandardCharsets.ISO_8859_1));
            stalled.getOutputStream().flush();
            assertEquals("pong", get("/ping").body(), "served while another client stalls");

            String got = readUntilClosed(stalled);
            assertFalse(got.contains("pong"), "the half request was never served: " + got);
        }
        assertEquals("pong", get("/ping").body(), "still served after cutting the stalled client off");
    }

    @Test
    void aClientThatStopsInTheMiddleOfItsBodyIsCutOffAndOthersAreServed() throws Exception {
        start();
        try (Socket stalled = new Socket("127.0.0.1", port)) {
            stalled.getOutputStream().write(("POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100\r\n\r\n{\"half\":").getBytes(StandardCharsets.ISO_8859_1));
            stalled.getOutputStream().flush();
            assertEquals("pong", get("/ping").body(), "served while another client stalls");

            String got = readUntilClosed(stalled);
            assertFalse(got.startsWith("HTTP/1.1 200"), "the half body was never answered as a request: " + got);
        }
        assertEquals("pong", get("/ping").body());
        // a whole body is still read and answered
        HttpResponse<String> echo = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/echo"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"whole\":true}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, echo.statusCode());
        assertEquals("{\"whole\":true}", echo.body());
    }

    @Test
    void stopLetsARequestInProgressFinish() throws Exception {
        start();
        CompletableFuture<HttpResponse<String>> slow = http.sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slow")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(slowEntered.await(SAFETY_NET_MS, TimeUnit.MILLISECONDS));
        CompletableFuture<Void> stopped = CompletableFuture.runAsync(api::stop);
        // stopping: new requests are turned away while the slow one may still finish
        await().atMost(Duration.ofMillis(SAFETY_NET_MS)).until(() -> get("/ping").statusCode() == 503);
        slowRelease.countDown();
        HttpResponse<String> r = slow.get(SAFETY_NET_MS, TimeUnit.MILLISECONDS);
        assertEquals(200, r.statusCode());
        assertEquals("done", r.body());
        stopped.get(SAFETY_NET_MS, TimeUnit.MILLISECONDS);
        assertEquals(-1, api.port());
    }
}
