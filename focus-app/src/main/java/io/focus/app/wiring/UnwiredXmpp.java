package io.focus.app.wiring;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.focus.app.spi.XmppStatus;

/** Placeholder until the XMPP connection manager is bound in {@link WiringModule}: never connected. */
@Singleton
public final class UnwiredXmpp implements XmppStatus {
    @Inject
    public UnwiredXmpp() {}

    @Override public boolean clientConnected() { return false; }

    @Override public String describe() { return "XMPP client connection not wired (WiringModule binds UnwiredXmpp)"; }
}
