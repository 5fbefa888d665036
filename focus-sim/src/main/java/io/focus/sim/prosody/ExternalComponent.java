package io.focus.sim.prosody;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An external component (XEP-0114) on a raw socket, as the older Jitsi set-up connected its videobridges (seed 002):
 * stream header in {@code jabber:component:accept}, {@code <handshake>} = hex(SHA-1(stream id + secret)). While
 * connected it answers every IQ get/set with an empty result (so a health check passes), can {@link #publish} to a
 * pubsub node, and ignores everything else;
 * {@link #disconnect()} closes the stream, after which Prosody answers stanzas to the component itself
 * ({@code remote-server-timeout} "Component unavailable" with {@code <not-connected/>}).
 */
public final class ExternalComponent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ExternalComponent.class);
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    private final String host;
    private final Socket socket;
    private final OutputStream out;
    private final CompletableFuture<String> streamId = new CompletableFuture<>();
    private final CompletableFuture<Void> handshake = new CompletableFuture<>();
    private final AtomicInteger iqsAnswered = new AtomicInteger();
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<String, CompletableFuture<String>> pending = new ConcurrentHashMap<>();
    private final Thread reader;

    private ExternalComponent(String host, Socket socket) throws IOException {
        this.host = host;
        this.socket = socket;
        this.out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        this.reader = new Thread(() -> read(in), "component-" + host);
        this.reader.setDaemon(true);
    }

    /**
     * Connects to {@code server}'s component port as {@code host} and completes the handshake.
     *
     * @throws IllegalStateException when the server refuses the handshake or does not answer in time
     */
    public static ExternalComponent connect(ProsodyServer server, String host, String secret) {
        if (server.componentPort() <= 0) {
            throw new IllegalArgumentException("the server has no external components: " + server);
        }
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(server.host(), server.componentPort()), 5_000);
            ExternalComponent c = new ExternalComponent(host, s);
            c.reader.start();
            c.send("<stream:stream xmlns='jabber:component:accept' xmlns:stream='http://etherx.jabber.org/streams' "
                    + "to='" + escape(host) + "'>");
            String id = c.streamId.get(HANDSHAKE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            c.send("<handshake>" + sha1Hex(id + secret) + "</handshake>");
            c.handshake.get(HANDSHAKE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            log.info("Component {} connected to {}:{}", host, server.host(), server.componentPort());
            return c;
        } catch (IOException e) {
            closeQuietly(s);
            throw new UncheckedIOException("component " + host + " could not connect", e);
        } catch (ExecutionException | TimeoutException e) {
            closeQuietly(s);
            throw new IllegalStateException("component " + host + ": no handshake", e);
        } catch (InterruptedException e) {
            closeQuietly(s);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The component's JID, e.g. {@code jvb1.meet.test}. */
    public String host() { return host; }

    /** IQ gets/sets answered with a result so far. */
    public int iqsAnswered() { return iqsAnswered.get(); }

    public boolean connected() { return !socket.isClosed(); }

    /**
     * Publishes {@code payloadXml} to {@code node} on {@code service} from the component's own JID, with the
     * component's JID as the item id, as a legacy videobridge published its stats (the component must be allowed to
     * publish, e.g. a pubsub admin); waits for the reply.
     *
     * @throws IllegalStateException on an error reply or none within 10 s
     */
    public void publish(String service, String node, String payloadXml) {
        String id = "pub" + ids.incrementAndGet();
        CompletableFuture<String> reply = new CompletableFuture<>();
        pending.put(id, reply);
        send("<iq type='set' id='" + id + "' from='" + escape(host) + "' to='" + escape(service) + "'>"
                + "<pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='" + escape(node) + "'>"
                + "<item id='" + escape(host) + "'>" + payloadXml + "</item></publish></pubsub></iq>");
        try {
            String type = reply.get(HANDSHAKE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (!"result".equals(type)) {
                throw new IllegalStateException("component " + host + ": publish to " + node + " got " + type);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("component " + host + ": no reply to a publish to " + node, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            pending.remove(id);
        }
    }

    /** Closes the stream and the socket: Prosody logs "component disconnected" and bounces what comes for it. */
    public void disconnect() {
        if (socket.isClosed()) {
            return;
        }
        try {
            send("</stream:stream>");
        } catch (UncheckedIOException e) {
            log.debug("component {}: stream close not sent: {}", host, e.toString());
        }
        closeQuietly(socket);
        log.info("Component {} disconnected", host);
    }

    @Override
    public void close() { disconnect(); }

    private synchronized void send(String xml) {
        try {
            out.write(xml.getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void read(InputStream in) {
        try {
            XMLInputFactory f = XMLInputFactory.newFactory();
            f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
            f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
            XMLStreamReader r = f.createXMLStreamReader(in, "UTF-8");
            int depth = 0;
            while (r.hasNext()) {
                int ev = r.next();
                if (ev == XMLStreamConstants.START_ELEMENT) {
                    depth++;
                    String name = r.getLocalName();
                    if (depth == 1) {
                        streamId.complete(r.getAttributeValue(null, "id"));
                    } else if (depth == 2) {
                        onTopLevel(r, name);
                    }
                } else if (ev == XMLStreamConstants.END_ELEMENT) {
                    depth--;
                }
            }
        } catch (XMLStreamException | RuntimeException e) {
            if (!socket.isClosed()) {
                log.info("component {}: stream ended: {}", host, e.toString());
            }
        } finally {
            IllegalStateException ended = new IllegalStateException("component " + host + ": stream ended");
            streamId.completeExceptionally(ended);
            handshake.completeExceptionally(ended);
            pending.values().forEach(f -> f.completeExceptionally(ended));
            closeQuietly(socket);
        }
    }

    private void onTopLevel(XMLStreamReader r, String name) {
        switch (name) {
            case "handshake" -> handshake.complete(null);
            case "error" -> {
                handshake.completeExceptionally(new IllegalStateException("component " + host + ": stream error"));
                closeQuietly(socket);
            }
            case "iq" -> {
                String type = r.getAttributeValue(null, "type");
                if ("get".equals(type) || "set".equals(type)) {
                    String id = r.getAttributeValue(null, "id");
                    String from = r.getAttributeValue(null, "from");
                    String to = r.getAttributeValue(null, "to");
                    send("<iq type='result' id='" + escape(id) + "' from='" + escape(to) + "' to='" + escape(from)
                            + "'/>");
                    iqsAnswered.incrementAndGet();
                } else {
                    CompletableFuture<String> f = pending.get(r.getAttributeValue(null, "id"));
                    if (f != null) {
                        f.complete(type);
                    }
                }
            }
            default -> { }
        }
    }

    private static String sha1Hex(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String escape(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("'", "&apos;").replace("<", "&lt;")
                .replace("\"", "&quot;");
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            log.debug("closing a component socket: {}", e.toString());
        }
    }
}
