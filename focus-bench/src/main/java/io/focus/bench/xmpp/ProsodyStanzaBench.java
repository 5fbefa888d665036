package io.focus.bench.xmpp;

import io.focus.bench.ProcessCpu;
import io.focus.bench.ProsodyGc;
import io.focus.bench.call.CallBench;
import io.focus.bench.e2e.InProcessFocus;
import io.focus.bench.soak.ProcStats;
import io.focus.sim.prosody.ProsodyOptions;
import io.focus.sim.prosody.ProsodyServer;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.iqrequest.AbstractIqRequestHandler;
import org.jivesoftware.smack.iqrequest.IQRequestHandler;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.muc.MultiUserChatManager;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;

/**
 * What one stanza costs Prosody, by its Lua garbage collector settings: a mass move is Prosody-bound (one thread;
 * in the soak it sits at 100 % of a core while the focus and the simulators use a fraction of the other), and every
 * moved participant's move carries a few large stanzas (the Jingle offer and answer, ~6 KB each in Jicofo's
 * recordings, the Colibri2 allocation, ~5 KB) and several small ones.
 *
 * <p>Per GC setting, a fresh Prosody (stream management on, as the soak's) with {@code --clients} participants, each
 * alone with the sender in a MUC room of its own; the sender sends {@code --stanzas} IQ sets (100 in flight),
 * round-robin, each answered with an empty result by the receiver, and the bench reads Prosody's CPU time
 * ({@code /proc}) before and after. Kinds: an offer-sized payload (shaped like a Jingle session-initiate: two contents
 * of payload types with parameters and feedback, header extensions, sources, an ICE transport with candidates; its
 * size is printed) to the receiver's occupant address (as the focus signals participants, through the MUC) and to its
 * real address (no MUC), and a small one (~0.5 KB, a source-add's size) through the MUC. Each kind is run twice and
 * the lower figure kept.
 *
 * <pre>
 * java -cp focus-bench/target/benchmarks.jar io.focus.bench.xmpp.ProsodyStanzaBench \
 *     [--stanzas 2000] [--clients 20] [--gc default,generational,incremental:400:250]
 * </pre>
 */
public final class ProsodyStanzaBench {
    private static final String NS = "urn:focus:bench:payload";
    private static final int IN_FLIGHT = 100;

    /** An IQ set carrying {@code body} inside one bench element. */
    static final class Payload extends IQ {
        private final String body;

        Payload(String body) {
            super("payload", NS);
            this.body = body;
            setType(Type.set);
        }

        @Override
        protected IQChildElementXmlStringBuilder getIQChildElementBuilder(IQChildElementXmlStringBuilder xml) {
            xml.rightAngleBracket();
            xml.append(body);
            return xml;
        }
    }

    public static void main(String[] args) throws Exception {
        int stanzas = 2000;
        int clients = 20;
        List<String> modes = List.of("default", "generational", "incremental:400:250");
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--stanzas" -> stanzas = Integer.parseInt(args[i + 1]);
                case "--clients" -> clients = Integer.parseInt(args[i + 1]);
                case "--gc" -> modes = List.of(args[i + 1].split(","));
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; usage: [--stanzas 2000] [--clients 20] [--gc " + ProsodyGc.USAGE + ",...]");
            }
        }
        modes.forEach(ProsodyGc::config);
        InProcessFocus.quietSmack();
        String offer = offerShaped();
        String small = smallShaped();
        System.out.printf("ProsodyStanzaBench %s: %d IQ round trips per kind, %d receivers; %d cores; load average %s%n",
                LocalDateTime.now().withNano(0), stanzas, clients, Runtime.getRuntime().availableProcessors(),
                CallBench.loadAverage());
        System.out.printf("payloads: offer-shaped %d chars (%d elements), small %d chars (%d elements)%n",
                offer.length(), elements(offer), small.length(), elements(small));
        System.out.printf("%-22s %28s %28s %28s %16s%n", "Prosody GC", "offer-sized, through the MUC",
                "offer-sized, direct", "small, through the MUC", "Prosody RSS");
        for (String mode : modes) {
            double[] r = run(mode, stanzas, clients, offer, small);
            System.out.printf("%-22s %21.3f ms CPU %21.3f ms CPU %21.3f ms CPU %13.1f MB%n", mode, r[0], r[1], r[2],
                    r[3]);
        }
        System.out.println("(Prosody's CPU per IQ round trip: the request routed to the receiver and its empty result "
                + "routed back)");
        System.exit(0);
    }

    private static double[] run(String mode, int stanzas, int clients, String offer, String small) throws Exception {
        try (ProsodyServer s = ProsodyServer.start(ProsodyOptions.defaults().withStreamManagement(true)
                .withExtraGlobalConfig(ProsodyGc.config(mode)))) {
            XMPPTCPConnection sender = new XMPPTCPConnection(s.anonymousConfig().build());
            sender.setUseStreamManagement(false);
            sender.connect().login();
            List<XMPPTCPConnection> receivers = new ArrayList<>();
            List<Jid> occupants = new ArrayList<>();
            List<Jid> real = new ArrayList<>();
            try {
                for (int i = 0; i < clients; i++) {
                    XMPPTCPConnection c = new XMPPTCPConnection(s.anonymousConfig().build());
                    c.setUseStreamManagement(false);
                    c.connect().login();
                    receivers.add(c);
                    c.registerIQRequestHandler(new AbstractIqRequestHandler("payload", NS, IQ.Type.set,
                            IQRequestHandler.Mode.async) {
                        @Override
                        public IQ handleIQRequest(IQ request) {
                            return IQ.createResultIQ(request);
                        }
                    });
                    EntityBareJid room = JidCreate.entityBareFrom("bench" + i + "@" + s.conferenceMucDomain());
                    MultiUserChatManager.getInstanceFor(sender).getMultiUserChat(room).join(Resourcepart.from("focus"));
                    MultiUserChatManager.getInstanceFor(c).getMultiUserChat(room).join(Resourcepart.from("p" + i));
                    occupants.add(JidCreate.from(room + "/p" + i));
                    real.add(c.getUser());
                }
                double viaMuc = Math.min(roundTrips(s, sender, occupants, offer, stanzas),
                        roundTrips(s, sender, occupants, offer, stanzas));
                double direct = Math.min(roundTrips(s, sender, real, offer, stanzas),
                        roundTrips(s, sender, real, offer, stanzas));
                double smallMuc = Math.min(roundTrips(s, sender, occupants, small, stanzas),
                        roundTrips(s, sender, occupants, small, stanzas));
                // resident memory after the runs, with the receivers still connected
                return new double[] {viaMuc, direct, smallMuc, ProcStats.read(s.pid(), Double.NaN).rssKb() / 1024.0};
            } finally {
                receivers.forEach(XMPPTCPConnection::disconnect);
                sender.disconnect();
            }
        }
    }

    /** Prosody's CPU ms per round trip of {@code n} IQs carrying {@code body}, to {@code to} in turn. */
    private static double roundTrips(ProsodyServer s, XMPPTCPConnection sender, List<Jid> to, String body, int n)
            throws InterruptedException {
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        CountDownLatch done = new CountDownLatch(n);
        int[] failed = {0};
        long before = ProcessCpu.millis(s.pid());
        for (int i = 0; i < n; i++) {
            inFlight.acquire();
            Payload iq = new Payload(body);
            iq.setTo(to.get(i % to.size()));
            sender.sendIqRequestAsync(iq, 10_000).onSuccess(r -> {
                inFlight.release();
                done.countDown();
            }).onError(e -> {
                synchronized (failed) {
                    failed[0]++;
                }
                inFlight.release();
                done.countDown();
            });
        }
        if (!done.await(120, TimeUnit.SECONDS)) {
            throw new IllegalStateException("round trips not done within 120 s");
        }
        long used = ProcessCpu.millis(s.pid()) - before;
        if (failed[0] > 0) {
            throw new IllegalStateException(failed[0] + " of " + n + " round trips failed");
        }
        return used / (double) n;
    }

    private static int elements(String xml) {
        return xml.split("<[a-zA-Z]", -1).length - 1;
    }

    /** About the shape and size of a Jingle session-initiate from the focus (two contents, sources, transport). */
    static String offerShaped() {
        StringBuilder b = new StringBuilder();
        String[][] media = {
                {"audio", "111:opus:48000", "103:ISAC:16000", "104:ISAC:32000", "126:telephone-event:8000"},
                {"video", "100:VP8:90000", "96:rtx:90000", "101:VP9:90000", "97:rtx:90000", "41:AV1:90000",
                        "42:rtx:90000", "107:H264:90000", "99:rtx:90000"}};
        for (String[] m : media) {
            b.append("<content creator='initiator' name='").append(m[0]).append("' senders='both'>")
                    .append("<description xmlns='urn:xmpp:jingle:apps:rtp:1' media='").append(m[0])
                    .append("' maxptime='60'>");
            for (int i = 1; i < m.length; i++) {
                String[] pt = m[i].split(":");
                b.append("<payload-type id='").append(pt[0]).append("' name='").append(pt[1])
                        .append("' clockrate='").append(pt[2]).append(m[0].equals("audio") ? "' channels='2'>" : "'>")
                        .append("<parameter name='minptime' value='10'/>")
                        .append("<rtcp-fb xmlns='urn:xmpp:jingle:apps:rtp:rtcp-fb:0' type='transport-cc'/>");
                if (m[0].equals("video")) {
                    b.append("<rtcp-fb xmlns='urn:xmpp:jingle:apps:rtp:rtcp-fb:0' type='ccm' subtype='fir'/>")
                            .append("<rtcp-fb xmlns='urn:xmpp:jingle:apps:rtp:rtcp-fb:0' type='nack'/>");
                }
                b.append("</payload-type>");
            }
            for (int i = 1; i <= 3; i++) {
                b.append("<rtp-hdrext xmlns='urn:xmpp:jingle:apps:rtp:rtp-hdrext:0' id='").append(i)
                        .append("' uri='http://www.webrtc.org/experiments/rtp-hdrext/ext-").append(i).append("'/>");
            }
            b.append("<source xmlns='urn:xmpp:jingle:apps:rtp:ssma:0' ssrc='").append(m[0].length() * 123_456_789L)
                    .append("' name='jvb-").append(m[0].charAt(0)).append("0'>")
                    .append("<ssrc-info xmlns='http://jitsi.org/jitmeet' owner='jvb'/>")
                    .append("<parameter name='msid' value='mixedmslabel mixedlabel").append(m[0]).append("0'/>")
                    .append("</source><rtcp-mux/></description>")
                    .append("<transport xmlns='urn:xmpp:jingle:transports:ice-udp:1' ufrag='2a3b4c5d6e7f8'")
                    .append(" pwd='0123456789abcdefghijklmnop'><rtcp-mux/>")
                    .append("<fingerprint xmlns='urn:xmpp:jingle:apps:dtls:0' hash='sha-256' required='false'")
                    .append(" setup='actpass'>AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89")
                    .append(":AB:CD:EF:01:23:45:67:89</fingerprint>");
            for (int i = 1; i <= 2; i++) {
                b.append("<candidate component='1' foundation='").append(i).append("' generation='0' id='cand")
                        .append(i).append("' network='0' priority='2130706431' protocol='udp' type='host'")
                        .append(" ip='10.0.0.").append(i).append("' port='10000'/>");
            }
            b.append("</transport></content>");
        }
        b.append("<group xmlns='urn:xmpp:jingle:apps:grouping:0' semantics='BUNDLE'><content name='audio'/>")
                .append("<content name='video'/></group>");
        return b.toString();
    }

    /** About the size of a source-add: one participant's three sources as Jitsi's JSON. */
    static String smallShaped() {
        return "<json-message xmlns='http://jitsi.org/jitmeet'>{\"sources\":{\"9e6b8aa1\":[[{\"s\":41843212,"
                + "\"n\":\"9e6b8aa1-v0\",\"m\":\"9e6b8aa1-video-0-2 7d9d6c24-4ad6-4ed9-a4cf-812419b9082c-2\"},"
                + "{\"s\":356679106,\"n\":\"9e6b8aa1-v0\",\"m\":\"9e6b8aa1-video-0-2 7d9d6c24-4ad6-4ed9-a4cf-"
                + "812419b9082c-2\"}],[[\"f\",41843212,356679106]],[{\"s\":1033035834,\"n\":\"9e6b8aa1-a0\","
                + "\"m\":\"9e6b8aa1-audio-0-2 e27650d8-c42e-469a-99cd-6a623c0564ce-2\"}]]}}</json-message>";
    }
}
