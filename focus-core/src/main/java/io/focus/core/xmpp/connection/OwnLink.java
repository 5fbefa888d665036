package io.focus.core.xmpp.connection;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The focus's own link to its XMPP server, as bridge-failure detection needs it: an unanswered request to a bridge is
 * evidence against the bridge only when this link is fine, and a request that spans a loss of this link says
 * nothing about its addressee.
 */
public interface OwnLink {
    /** Connected and authenticated. */
    boolean ready();

    /** Changes whenever the link is lost; equal values before and after a request mean no loss in between. */
    long epoch();

    /**
     * Pings the server (XEP-0199) now. Completes with how long the server took to answer when it answered within
     * {@code timeout} and the link was not lost meanwhile; empty otherwise (never exceptionally). The round trip
     * tells how busy the server is: the health doctor scales a bridge's probe deadline to it.
     */
    CompletableFuture<Optional<Duration>> verify(Duration timeout);
}
