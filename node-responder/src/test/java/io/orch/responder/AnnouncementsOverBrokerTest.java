package io.orch.responder;

import static io.orch.responder.BusClient.eventually;
import static io.orch.responder.Fixture.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orch.protocol.bus.Destinations;
import io.orch.protocol.envelope.Action;
import io.orch.protocol.envelope.Announcement;
import io.orch.protocol.envelope.Codec;
import io.orch.protocol.envelope.ReplyStatus;
import io.orch.protocol.envelope.Request;
import io.orch.protocol.envelope.SecureEnvelope;
import io.orch.protocol.schema.SchemaCheckingBrokerPlugin;
import io.orch.responder.bus.NodeConnections;
import io.orch.responder.bus.NodeEndpoint;
import io.orch.responder.config.ResponderConfig;
import io.orch.responder.config.ResponderWiring;
import io.orch.responder.facts.NodeFacts;
import io.orch.responder.journal.FileJournal;
import io.orch.responder.journal.JournalEntry;
import io.orch.responder.node.Responder;
import io.orch.responder.registry.ManualTimer;
import io.orch.responder.registry.Presence;
import io.orch.responder.security.NodeSecurity;
import io.orch.trust.Sealer;
import io.orch.trust.TrustException;
import io.orch.trust.Verifier;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.broker.BrokerService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A responder's announcements on a real broker, read and verified as an inventory reader does: {@code up}
 * once subscribed and at every tick of its timer (driven by hand here), again after a broker restart,
 * {@code stopped} or {@code rebooting} as it closes, and nothing once it is gone. A forged one is refused.
 */
class AnnouncementsOverBrokerTest {
    private static final String BOOT_ID = "5af5563e-0c1d-4d8e-9a3b-2f7e6c1d0b94";
    private static final AtomicInteger NODES = new AtomicInteger();

    @TempDir
    Path dir;

    private final String identity = "announcing" + NODES.incrementAndGet() + ".test";
    private final Destinations orch = new Destinations("orch");
    private final Codec codec = new Codec();
    private final Verifier verifier = TestTrust.shared().verifier();
    private final ManualTimer timer = new ManualTimer();
    private final Instant startedAt = Instant.now();
    private final ExecutorService rebootThread = Executors.newSingleThreadExecutor();
    private BrokerService broker;
    private int port;
    private Path state;
    private Connection nodeConnection;
    private NodeEndpoint endpoint;
    private Responder responder;
    private Reader reader;

    /** What a reader took off {@code orch.registry.>}: each message's topic and envelope. */
    private record Heard(String topic, String envelope) {
    }

    /** Subscribes to every registry topic of the collective, as an inventory reader does (not retroactively here). */
    private final class Reader implements AutoCloseable {
        final List<Heard> heard = new CopyOnWriteArrayList<>();
        final Connection connection;
        final Session session;

        Reader() throws JMSException {
            connection = BusClient.factory(url()).createConnection();
            connection.start();
            session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            session.createConsumer(session.createTopic(orch.registryWildcard())).setMessageListener(m -> {
                try {
                    heard.add(new Heard(((Topic) m.getJMSDestination()).getTopicName(), ((TextMessage) m).getText()));
                } catch (JMSException e) {
                    throw new IllegalStateException(e);
                }
            });
        }

        /** The announcements heard, each verified as from the node it names and on that node's topic. */
        List<Announcement> believed() throws Exception {
            List<Announcement> out = new java.util.ArrayList<>();
            for (Heard h : heard) {
                out.add(believe(h));
            }
            return out;
        }

        List<Announcement.State> states() throws Exception {
            return believed().stream().map(Announcement::state).toList();
        }

        @Override
        public void close() throws JMSException {
            connection.close();
        }
    }

    /** What an inventory reader does with one registry message; throws saying why it is not believed. */
    private Announcement believe(Heard heard) throws Exception {
        SecureEnvelope envelope = codec.decodeEnvelope(heard.envelope(), SecureEnvelope.Kind.ANNOUNCEMENT);
        Announcement announcement = codec.decodeAnnouncement(envelope.body());
        Verifier.Signer signer = verifier.verify(envelope, announcement.node());
        if (!signer.name().equals(announcement.node())) {
            throw new TrustException("signed by '" + signer.name() + "', not by the node it speaks for");
        }
        if (!orch.registryIdentity(heard.topic()).equals(java.util.Optional.of(announcement.node()))) {
            throw new TrustException("announcement for '" + announcement.node() + "' on " + heard.topic());
        }
        return announcement;
    }

    private String url() {
        return "tcp://127.0.0.1:" + port;
    }

    private BrokerService startBroker(int onPort) throws Exception {
        BrokerService b = new BrokerService();
        b.setBrokerName("announcements-test-" + onPort);
        b.setPersistent(false);
        b.setUseJmx(false);
        b.setUseShutdownHook(false);
        b.setAdvisorySupport(false);
        b.setSchedulerSupport(false);
        SchemaCheckingBrokerPlugin schemas = SchemaCheckingBrokerPlugin.installOn(b, "orch.announcement.");
        checks.add(schemas);
        b.addConnector("tcp://127.0.0.1:" + onPort);
        b.start();
        b.waitUntilStarted();
        port = b.getTransportConnectors().get(0).getConnectUri().getPort();
        return b;
    }

    private final List<SchemaCheckingBrokerPlugin> checks = new CopyOnWriteArrayList<>();

    @BeforeEach
    void brokerAndNode() throws Exception {
        broker = startBroker(0);
        Path root = dir.resolve("root");
        state = dir.resolve("state");
        write(root, "etc/os-release", "NAME=\"Debian GNU/Linux\"\nID=debian\nVERSION_ID=\"12\"\n");
        write(root, "proc/sys/kernel/random/boot_id", BOOT_ID + "\n");
        write(root, "proc/uptime", "3600.25 7000.00\n");
        ResponderConfig config = new ResponderConfig(identity, "orch", null,
                new ResponderConfig.Facts(root.toString(), List.of()), new ResponderConfig.Pending(List.of()),
                new ResponderConfig.Reboot("log", null, null, false, null, List.of(), 0, 0, state.toString()), null);
        // As a daemon connects: failover, so it outlives a broker restart.
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(NodeConnections.url(url(), 0));
        NodeConnections.configure(factory);
        nodeConnection = factory.createConnection();
        nodeConnection.start();
        NodeFacts facts = ResponderWiring.facts(config, Clock.systemUTC());
        NodeSecurity security = TestTrust.shared().node(identity);
        Presence presence = new Presence(Duration.ofMinutes(10), Presence.VERSION, startedAt, timer,
                new SplittableRandom());
        endpoint = NodeEndpoint.open(nodeConnection, orch, codec, security.sealer(), presence);
        responder = ResponderWiring.responder(config, facts, ResponderWiring.executor(config.reboot()), rebootThread,
                endpoint, Clock.systemUTC(), security);
        reader = new Reader();
    }

    @AfterEach
    void stopAll() throws Exception {
        rebootThread.shutdownNow();
        if (endpoint != null) {
            endpoint.close();
        }
        nodeConnection.close();
        reader.close();
        broker.stop();
        broker.waitUntilStopped();
        for (SchemaCheckingBrokerPlugin schemas : checks) {
            schemas.assertNoViolations();
        }
    }

    @Test
    void upOnceSubscribedThenAtEveryTick() throws Exception {
        assertTrue(timer.waiting().isEmpty(), "nothing before the node serves");
        endpoint.serve(responder);
        assertEquals(Duration.ZERO, timer.waiting().get(0).delay(), "the first one right away");
        timer.runNext();
        eventually().until(() -> reader.heard.size() == 1);
        Announcement first = reader.believed().get(0);
        assertEquals(new Announcement(identity, BOOT_ID, first.time(), Announcement.State.UP, Presence.VERSION, 600,
                startedAt), first);
        assertEquals("orch.registry." + identity, reader.heard.get(0).topic());

        Duration next = timer.waiting().get(0).delay();
        assertTrue(next.compareTo(Duration.ofSeconds(540)) >= 0 && next.compareTo(Duration.ofSeconds(660)) <= 0,
                next.toString());
        timer.runNext();
        timer.runNext();
        eventually().until(() -> reader.heard.size() == 3);
        assertEquals(List.of(Announcement.State.UP, Announcement.State.UP, Announcement.State.UP), reader.states());
        assertTrue(!reader.believed().get(2).time().isBefore(first.time()));
    }

    @Test
    void aCleanStopAnnouncesStoppedAndThenNothing() throws Exception {
        endpoint.serve(responder);
        timer.runNext();
        endpoint.close();
        eventually().until(() -> reader.heard.size() == 2);
        assertEquals(List.of(Announcement.State.UP, Announcement.State.STOPPED), reader.states());
        assertTrue(timer.waiting().isEmpty(), "the periodic tick is cancelled");
        endpoint.close(); // twice: still one last word
        Thread.sleep(200); // nothing may come; a late message would show up within this
        assertEquals(2, reader.heard.size());
    }

    @Test
    void stoppingWhileAHandedOverRebootIsUnderWayAnnouncesRebooting() throws Exception {
        endpoint.serve(responder);
        timer.runNext();
        Instant now = Instant.now();
        // What the journal holds once the executor has handed a reboot to the OS.
        new FileJournal(state).record(new JournalEntry("r1", "tester", "junit", BOOT_ID, List.of(), 60,
                now.minusSeconds(1), now, null));
        responder.stopping(); // as the shutdown hook does
        endpoint.close();
        eventually().until(() -> reader.heard.size() == 2);
        assertEquals(List.of(Announcement.State.UP, Announcement.State.REBOOTING), reader.states());
    }

    @Test
    void aNodeThatVanishesLeavesItsLastAnnouncementUp() throws Exception {
        endpoint.serve(responder);
        timer.runNext();
        endpoint.drop();
        endpoint = null;
        Thread.sleep(200);
        assertEquals(List.of(Announcement.State.UP), reader.states());
        assertTrue(timer.waiting().isEmpty());
    }

    @Test
    void aNodeWhoseBrokerIsGoneStopsWithoutItsLastWordInsteadOfWaitingForTheBroker() throws Exception {
        endpoint.serve(responder);
        timer.runNext();
        eventually().until(() -> reader.heard.size() == 1);
        reader.close();
        broker.stop();
        broker.waitUntilStopped();
        eventually().until(() -> !NodeConnections.onTheBus(nodeConnection));
        // A send would wait for the broker's return (failover): the stop must not. Awaited, so a hang fails the
        // test rather than the build.
        java.util.concurrent.CompletableFuture<Void> closing = java.util.concurrent.CompletableFuture.runAsync(
                endpoint::close);
        eventually().until(closing::isDone);
        closing.get();
        assertTrue(timer.waiting().isEmpty(), "the periodic tick is cancelled");
        endpoint = null;
        broker = startBroker(port); // for @AfterEach, and: the node says nothing once the broker is back
        reader = new Reader();
        Thread.sleep(200);
        assertEquals(List.of(), reader.heard);
    }

    @Test
    void upAgainOnceTheConnectionIsBackAfterABrokerRestart() throws Exception {
        endpoint.serve(responder);
        timer.runNext();
        eventually().until(() -> reader.heard.size() == 1);
        reader.close();
        int before = timer.all().size();
        broker.stop();
        broker.waitUntilStopped();
        broker = startBroker(port); // the same address, and an empty broker: it has forgotten everything
        // The return hands the announcement to the timer, beside the periodic tick.
        eventually().until(() -> timer.waiting().stream().anyMatch(t -> t.delay().isZero()));
        assertTrue(timer.all().size() > before);
        reader = new Reader();
        timer.waiting().stream().filter(t -> t.delay().isZero()).findFirst().orElseThrow().body().run();
        eventually().until(() -> reader.heard.size() == 1);
        Announcement again = reader.believed().get(0);
        assertEquals(Announcement.State.UP, again.state());
        assertEquals(startedAt, again.startedAt(), "the same responder, not a restart");
        // And it still serves requests.
        try (BusClient client = BusClient.connect(url())) {
            assertEquals(ReplyStatus.OK, client.ask(orch.node(identity), Request.create("orch", Action.PING, null,
                    Map.of(), "tester", "junit", Instant.now(), Duration.ofSeconds(30))).status());
        }
    }

    @Test
    void anAnnouncementSignedByAnotherNodeIsRefused() throws Exception {
        // web99 owns a certificate of the site and the broker lets it write any registry topic.
        Sealer forger = Sealer.signing(codec, TestTrust.shared().credentials("web99"));
        Announcement claim = new Announcement(identity, BOOT_ID, Instant.now(), Announcement.State.STOPPED,
                Presence.VERSION, 600, startedAt);
        String forged = forger.seal(SecureEnvelope.Kind.ANNOUNCEMENT, codec.encode(claim));
        // The genuine node's envelope with its body changed after signing.
        Sealer node = TestTrust.shared().node(identity).sealer();
        String genuine = node.seal(SecureEnvelope.Kind.ANNOUNCEMENT, codec.encode(claim.as(Announcement.State.UP,
                Instant.now())));
        String tampered = genuine.replace("\\\"state\\\":\\\"up\\\"", "\\\"state\\\":\\\"stopped\\\"");
        assertTrue(!tampered.equals(genuine));
        String unsigned = codec.encodeUnsigned(claim);
        try (Connection connection = BusClient.factory(url()).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createTopic(orch.registry(identity)));
            producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            for (String body : List.of(forged, tampered, unsigned, genuine)) {
                producer.send(session.createTextMessage(body));
            }
            // A genuine announcement on another node's topic.
            session.createProducer(session.createTopic(orch.registry("web99"))).send(session.createTextMessage(genuine));
        }
        eventually().until(() -> reader.heard.size() == 5);
        assertEquals("signed by 'web99', not by the node it speaks for",
                assertThrows(TrustException.class, () -> believe(reader.heard.get(0))).getMessage());
        assertTrue(assertThrows(TrustException.class, () -> believe(reader.heard.get(1))).getMessage()
                .startsWith("bad signature"));
        assertTrue(assertThrows(TrustException.class, () -> believe(reader.heard.get(2))).getMessage()
                .startsWith("not signed"));
        assertEquals(Announcement.State.UP, believe(reader.heard.get(3)).state());
        assertEquals("announcement for '" + identity + "' on orch.registry.web99",
                assertThrows(TrustException.class, () -> believe(reader.heard.get(4))).getMessage());
    }
}
