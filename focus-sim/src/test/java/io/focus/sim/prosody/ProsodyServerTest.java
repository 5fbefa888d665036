package io.focus.sim.prosody;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;

import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.Test;

class ProsodyServerTest {

    @Test
    void startsLogsInRestartsOnSamePortAndStopsWithoutLeftovers() throws Exception {
        ProsodyServer s = ProsodyServer.start();
        try {
            s.register("focus", "auth.meet.test", "focuspass");
            assertTrue(s.isRunning());
            long firstPid = s.pid();
            assertTrue(Files.readString(s.configFile()).contains("c2s_ports = { " + s.port() + " }"));

            XMPPTCPConnection c = new XMPPTCPConnection(s.connectionConfig("focus", "auth.meet.test", "focuspass", "t").build());
            c.connect().login();
            assertEquals("focus@auth.meet.test/t", c.getUser().toString());
            c.disconnect();

            XMPPTCPConnection wrong = new XMPPTCPConnection(s.connectionConfig("focus", "auth.meet.test", "nope", "t").build());
            wrong.connect();
            assertThrows(XMPPException.class, wrong::login);
            wrong.disconnect();

            XMPPTCPConnection guest = new XMPPTCPConnection(s.anonymousConfig().build());
            guest.connect().login();
            assertEquals("guest.meet.test", guest.getUser().getDomain().toString());
            guest.disconnect();

            int port = s.port();
            s.restart();
            assertEquals(port, s.port());
            assertTrue(s.pid() != firstPid);
            // same data: the registered user survives the restart
            XMPPTCPConnection again = new XMPPTCPConnection(s.connectionConfig("focus", "auth.meet.test", "focuspass", "t2").build());
            again.connect().login();
            assertTrue(again.isAuthenticated());
            again.disconnect();

            long pid = s.pid();
            s.stop();
            assertFalse(s.isRunning());
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
            assertTrue(s.leftoverProcesses().isEmpty());
            assertThrows(SmackException.class, () -> new XMPPTCPConnection(
                    s.connectionConfig("focus", "auth.meet.test", "focuspass", "t").build()).connect());
        } finally {
            s.close();
        }
    }

    @Test
    void tlsServerRequiresEncryption() throws Exception {
        try (ProsodyServer s = ProsodyServer.start(ProsodyOptions.defaults().withTls(true))) {
            s.register("focus", "auth.meet.test", "focuspass");
            assertTrue(Files.readString(s.configFile()).contains("c2s_require_encryption = true"));
            XMPPTCPConnection c = new XMPPTCPConnection(s.connectionConfig("focus", "auth.meet.test", "focuspass", "t").build());
            c.connect().login();
            assertTrue(c.isSecureConnection());
            c.disconnect();
        }
    }

    @Test
    void streamManagementOption() throws Exception {
        try (ProsodyServer s = ProsodyServer.start(ProsodyOptions.defaults().withStreamManagement(true))) {
            s.register("focus", "auth.meet.test", "focuspass");
            XMPPTCPConnection c = new XMPPTCPConnection(s.connectionConfig("focus", "auth.meet.test", "focuspass", "t").build());
            c.setUseStreamManagement(true);
            c.connect().login();
            assertTrue(c.isSmAvailable());
            c.disconnect();
        }
        try (ProsodyServer s = ProsodyServer.start()) {
            s.register("focus", "auth.meet.test", "focuspass");
            XMPPTCPConnection c = new XMPPTCPConnection(s.connectionConfig("focus", "auth.meet.test", "focuspass", "t").build());
            c.connect().login();
            assertFalse(c.isSmAvailable());
            c.disconnect();
        }
    }

    @Test
    void extensionStopsItsServerAndChecksForLeftovers() throws Exception {
        ProsodyExtension ext = new ProsodyExtension();
        ext.beforeAll(null);
        ProsodyServer s = ext.server();
        long pid = s.pid();
        assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        XMPPTCPConnection jvb = new XMPPTCPConnection(s.connectionConfig("jvb", "auth.meet.test", "jvbpass", "x").build());
        jvb.connect().login();
        jvb.disconnect();
        ext.afterAll(null);
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        assertTrue(s.leftoverProcesses().isEmpty());
        assertThrows(IllegalStateException.class, ext::server);
    }
}
