package io.focus.sim.bridge;

import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.security.cert.X509Certificate;
import javax.net.ssl.X509TrustManager;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jxmpp.stringprep.XmppStringprepException;

/** A simulated bridge's XMPP connection, as a JVB configures its own, and the socket under it (to kill it). */
final class BridgeConnections {
    private BridgeConnections() {}

    static XMPPTCPConnection create(SimBridgeOptions o, String nick) throws UnknownHostException, XmppStringprepException {
        XMPPTCPConnectionConfiguration.Builder b = XMPPTCPConnectionConfiguration.builder()
                .setXmppDomain(o.loginDomainOrDefault())
                .setHostAddress(InetAddress.getByName(o.xmppHost))
                .setPort(o.xmppPort)
                .setUsernameAndPassword(o.user, o.password)
                .setResource(o.resource != null ? o.resource : nick + "-" + Long.toHexString(System.nanoTime() & 0xffffff))
                .setSendPresence(false)
                .setConnectTimeout(10_000);
        if (o.tls) {
            b.setSecurityMode(SecurityMode.required).setCustomX509TrustManager(TRUST_ALL).setHostnameVerifier((h, s) -> true);
        } else {
            b.setSecurityMode(SecurityMode.disabled);
        }
        return new XMPPTCPConnection(b.build());
    }

    /** The TCP socket of the connection (Smack does not expose it), or null. */
    static Socket rawSocket(XMPPTCPConnection c) {
        try {
            Field f = XMPPTCPConnection.class.getDeclaredField("socket");
            f.setAccessible(true);
            return (Socket) f.get(c);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static final X509TrustManager TRUST_ALL = new X509TrustManager() {
        @Override public void checkClientTrusted(X509Certificate[] c, String a) { }
        @Override public void checkServerTrusted(X509Certificate[] c, String a) { }
        @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
    };
}
