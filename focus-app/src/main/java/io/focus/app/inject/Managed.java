package io.focus.app.inject;

/** Something with a start and a stop (XMPP connections, the brewery, the HTTP server...). */
public interface Managed {
    String name();

    void start() throws Exception;

    /** Must not throw; called once, in reverse start order. */
    void stop();
}
