package io.orch.responder;

import static io.orch.responder.BusClient.eventually;
import static io.orch.responder.Fixture.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orch.protocol.bus.Destinations;
import io.orch.protocol.envelope.Action;
import io.orch.protocol.envelope.Codec;
import io.orch.protocol.envelope.Event;
import io.orch.protocol.envelope.Reply;
import io.orch.protocol.envelope.ReplyStatus;
import io.orch.protocol.envelope.Request;
import io.orch.protocol.envelope.SecureEnvelope;
import io.orch.protocol.payload.NoData;
import io.orch.responder.bus.NodeEndpoint;
import io.orch.responder.config.ResponderConfig;
import io.orch.responder.config.ResponderWiring;
import io.orch.responder.event.NodeEvents;
import io.orch.responder.executor.RebootExecutor;
import io.orch.responder.executor.RebootPlan;
import io.orch.responder.node.Responder;
import io.orch.responder.request.Replies;
import io.orch.trust.Sealer;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.apache.activemq.broker.BrokerService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10's "the reply-to-broadcast storm produces no node-to-node replies": several real
 * responders on one broker, sharing connections as the lab does, and an independent consumer
 * that counts every message on the broadcast topic. A signed broadcast ping whose reply-to is the
 * broadcast (signed so, so that only the temporary-queue rule stands in its way) is the only
 * message there afterwards; replies and events published on the broadcast are answered by nobody.
 */
class ReplyStormOverBrokerTest {
    private static final int NODES = 6;
    private static final String BROADCAST = "orch.broadcast";
    private static final Codec CODEC = new Codec();

    @TempDir
    static Path dir;

    private static BrokerService broker;
    private static String brokerUrl;
    private static final List<Connection> nodeConnections = new ArrayList<>();
    private static final List<NodeEndpoint> endpoints = new ArrayList<>();
    private static final List<String> identities = new ArrayList<>();

    private Connection clientConnection;
    private Session client;
    private MessageProducer producer;
    private TemporaryQueue replyQueue;
    private final List<Reply> replies = new CopyOnWriteArrayList<>();
    /** Every message on the broadcast, seen by a subscriber that is no node. */
    private final List<Message> onBroadcast = new CopyOnWriteArrayList<>();

    /** Nothing here may reboot; a plan would fail the test. */
    private static final RebootExecutor NEVER = new RebootExecutor() {
        @Override
        public void reboot(RebootPlan plan) {
            throw new AssertionError("no test here reboots: " + plan);
        }

        @Override
        public String describe(RebootPlan plan) {
            return "nothing";
        }
    };

    @BeforeAll
    static void brokerAndNodes() throws Exception {
        broker = BusClient.startBroker("storm-test");
        brokerUrl = BusClient.url(broker);
        // Two connections for six nodes, each node its own session on one of them, as in `orch lab`.
        for (int c = 0; c < 2; c++) {
            Connection connection = BusClient.factory(brokerUrl).createConnection();
            connection.start();
            nodeConnections.add(connection);
        }
        for (int i = 0; i < NODES; i++) {
            String identity = "storm" + i + ".test";
            Path root = dir.resolve(identity);
            write(root, "etc/os-release", "NAME=\"Debian GNU/Linux\"\nID=debian\nVERSION_ID=\"12\"\n");
            write(root, "proc/sys/kernel/osrelease", "6.1.0-10-amd64\n");
            write(root, "proc/sys/kernel/random/boot_id", "00000000-0000-4000-8000-00000000000" + i + "\n");
            write(root, "proc/uptime", "3600.25 7000.00\n");
            ResponderConfig config = new ResponderConfig(identity, "orch", null,
                    new ResponderConfig.Facts(root.toString(), List.of()), null, null, null);
            var security = TestTrust.shared().node(identity);
            NodeEndpoint endpoint = NodeEndpoint.open(nodeConnections.get(i % 2), new Destinations("orch"), new Codec(),
                    security.sealer());
            Responder responder = ResponderWiring.responder(config, ResponderWiring.facts(config, Clock.systemUTC()),
                    NEVER, Runnable::run, endpoint, Clock.systemUTC(), security);
            endpoint.serve(responder);
            endpoints.add(endpoint);
            identities.add(identity);
        }
    }

    @AfterAll
    static void stopAll() throws Exception {
        for (NodeEndpoint endpoint : endpoints) {
            endpoint.close();
        }
        for (Connection connection : nodeConnections) {
            connection.close();
        }
        if (broker != null) {
            BusClient.stopAndCheck(broker);
        }
    }

    @BeforeEach
    void client() throws Exception {
        clientConnection = BusClient.factory(brokerUrl).createConnection();
        clientConnection.start();
        client = clientConnection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        producer = client.createProducer(null);
        producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
        replyQueue = client.createTemporaryQueue();
        client.createConsumer(replyQueue).setMessageListener(m -> {
            try {
                SecureEnvelope envelope = CODEC.decodeEnvelope(((TextMessage) m).getText(), SecureEnvelope.Kind.REPLY);
                replies.add(CODEC.decodeReply(envelope.body()));
            } catch (Exception e) {
                throw new IllegalStateException("unreadable reply", e);
            }
        });
        // Its own connection: what the counter sees does not depend on the client's session.
        Connection counter = BusClient.factory(brokerUrl).createConnection();
        counter.start();
        counterConnection = counter;
        counter.createSession(false, Session.AUTO_ACKNOWLEDGE).createConsumer(
                client.createTopic(BROADCAST)).setMessageListener(onBroadcast::add);
        LogCapture.of(NodeEndpoint.class).clear();
    }

    private Connection counterConnection;

    @AfterEach
    void closeClient() throws Exception {
        clientConnection.close();
        counterConnection.close();
    }

    private static Request ping() {
        return Request.create("orch", Action.PING, null, (java.util.Map<String, Object>) null, "tester", "junit", Instant.now(),
                Duration.ofSeconds(60));
    }

    private void send(Destination to, String body, String correlationId, Destination replyTo) throws JMSException {
        TextMessage message = client.createTextMessage(body);
        message.setJMSCorrelationID(correlationId);
        if (replyTo != null) {
            message.setJMSReplyTo(replyTo);
        }
        producer.send(to, message);
    }

    /**
     * A proper broadcast ping, answered by every node: each node handles its messages in order, so
     * once all have answered, all have handled everything sent before. Then a marker on the
     * broadcast: once the counter has it, it has everything the broker took before it.
     */
    private void settle() throws Exception {
        Request ping = ping();
        send(client.createTopic(BROADCAST), TestTrust.shared().operatorSealer().seal(SecureEnvelope.Kind.REQUEST,
                CODEC.encodeInnerRequest(ping.routed(Request.BROADCAST, replyQueue.getQueueName()))), ping.id(),
                replyQueue);
        Set<String> answered = eventually().until(() -> replies.stream()
                .filter(r -> r.requestId().equals(ping.id()) && r.status() == ReplyStatus.OK)
                .map(Reply::node).collect(Collectors.toSet()), nodes -> nodes.size() == NODES);
        assertEquals(Set.copyOf(identities), answered, "every node still answers a proper ping");
        send(client.createTopic(BROADCAST), "end of test", "marker", null);
        eventually().until(() -> onBroadcast.stream().anyMatch(m -> "marker".equals(correlationId(m))));
    }

    private static String correlationId(Message message) {
        try {
            return message.getJMSCorrelationID();
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Correlation ids of what the counter saw on the broadcast, in order. */
    private List<String> broadcastIds() {
        return onBroadcast.stream().map(ReplyStormOverBrokerTest::correlationId).toList();
    }

    @Test
    void theReplyToBroadcastStormProducesNoNodeToNodeReplies() throws Exception {
        Topic broadcast = client.createTopic(BROADCAST);
        Request storm = ping();
        // Signed with the broadcast as its reply_to: the route check agrees, only the temporary-queue rule refuses.
        String body = TestTrust.shared().operatorSealer().seal(SecureEnvelope.Kind.REQUEST,
                CODEC.encodeInnerRequest(storm.routed(Request.BROADCAST, BROADCAST)));

        send(broadcast, body, storm.id(), broadcast);
        settle();

        List<String> ids = broadcastIds();
        assertEquals(storm.id(), ids.get(0), ids.toString());
        assertEquals(1, ids.stream().filter(storm.id()::equals).count(),
                "exactly the one request, not one reply from any node: " + ids);
        assertEquals(3, ids.size(), "the storm ping, the proper ping, the marker; nothing else: " + ids);
        assertTrue(replies.stream().noneMatch(r -> r.requestId().equals(storm.id())), replies.toString());
        assertTrue(LogCapture.of(NodeEndpoint.class).contains("WARN", storm.id(), "is not a temporary queue"),
                LogCapture.of(NodeEndpoint.class).lines().toString());
    }

    @Test
    void repliesAndEventsOnTheBroadcastAreAnsweredByNoNode() throws Exception {
        Topic broadcast = client.createTopic(BROADCAST);
        Sealer otherNode = Sealer.signing(CODEC, TestTrust.shared().credentials("storm-outsider.test"));
        Reply reply = new Replies("storm-outsider.test", Clock.systemUTC()).to("r-looped", "ping", true, ReplyStatus.OK,
                "pong", NoData.INSTANCE);
        Event event = new NodeEvents("storm-outsider.test", "boot-1", Clock.systemUTC()).started(Instant.now());

        // Each with a temporary queue as reply-to: an answer would have somewhere to go.
        send(broadcast, otherNode.seal(SecureEnvelope.Kind.REPLY, CODEC.encode(reply)), "sealed-reply", replyQueue);
        send(broadcast, otherNode.seal(SecureEnvelope.Kind.EVENT, CODEC.encode(event)), "sealed-event", replyQueue);
        send(broadcast, CODEC.encode(reply), "bare-reply", replyQueue); // as nodes sent them before envelopes
        send(broadcast, CODEC.encode(event), "bare-event", replyQueue);
        settle();

        assertTrue(replies.stream().noneMatch(r -> !r.action().equals("ping") || r.requestId().equals("r-looped")),
                "no node answered a reply or an event: " + replies);
        assertEquals(List.of("sealed-reply", "sealed-event", "bare-reply", "bare-event"),
                broadcastIds().subList(0, 4));
        assertEquals(4 + 2, broadcastIds().size(), "nothing but what the test sent: " + broadcastIds());
        LogCapture log = LogCapture.of(NodeEndpoint.class);
        for (String id : List.of("sealed-reply", "bare-reply")) {
            assertTrue(log.contains("WARN", id, "a reply, not a request", "not answered"), log.lines().toString());
        }
        for (String id : List.of("sealed-event", "bare-event")) {
            assertTrue(log.contains("WARN", id, "an event, not a request", "not answered"), log.lines().toString());
        }
    }

    @Test
    void aFloodOfDroppedMessagesCostsTheLogAFewLinesAMinute() throws Exception {
        Topic broadcast = client.createTopic(BROADCAST);
        for (int i = 0; i < 200; i++) {
            Request ping = ping();
            send(broadcast, TestTrust.shared().operatorSealer().seal(SecureEnvelope.Kind.REQUEST,
                    CODEC.encodeInnerRequest(ping.routed(Request.BROADCAST, BROADCAST))), ping.id(), broadcast);
        }
        settle();

        long lines = LogCapture.of(NodeEndpoint.class).lines().stream()
                .filter(l -> l.startsWith("WARN ") && l.contains("is not a temporary queue")).count();
        // Within one minute each node logs at most its share; the test may straddle a minute boundary once.
        assertTrue(lines <= 2L * NODES * io.orch.protocol.Limits.MAX_DROPPED_LOG_LINES_PER_MINUTE,
                lines + " lines for " + 200 * NODES + " dropped messages");
        assertTrue(lines >= NODES, "each node said so at least once: " + lines);
    }
}
