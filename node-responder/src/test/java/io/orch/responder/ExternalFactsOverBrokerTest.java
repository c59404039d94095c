package io.orch.responder;

import io.orch.responder.security.NodeSecurity;
import static io.orch.responder.Fixture.write;
import static io.orch.responder.Scripts.script;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orch.protocol.bus.Destinations;
import io.orch.protocol.envelope.Action;
import io.orch.protocol.envelope.Codec;
import io.orch.protocol.envelope.Reply;
import io.orch.protocol.envelope.ReplyStatus;
import io.orch.protocol.envelope.Request;
import io.orch.protocol.filter.FilterSpec;
import io.orch.responder.bus.NodeEndpoint;
import io.orch.responder.config.ResponderConfig;
import io.orch.responder.config.ResponderWiring;
import io.orch.responder.facts.NodeFacts;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.broker.BrokerService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * External fact scripts on a node served over a real broker: a script that hangs costs a
 * request at most its timeout, never the node, and status replies say which script failed.
 */
class ExternalFactsOverBrokerTest {

    /** Well below the hanging script's 30 s, well above its 1 s timeout on a slow CI machine. */
    private static final Duration REPLY_BOUND = Duration.ofSeconds(15);

    private static BrokerService broker;
    private static String brokerUrl;

    @TempDir
    Path root;

    @TempDir
    Path factsDir;

    private final Codec codec = new Codec();
    private final List<Reply> replies = new CopyOnWriteArrayList<>();
    private Connection nodeConnection;
    private NodeEndpoint endpoint;
    private Connection clientConnection;
    private Session client;
    private MessageProducer producer;
    private TemporaryQueue replyTo;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = BusClient.startBroker("external-facts-test");
        brokerUrl = BusClient.url(broker);
    }

    @AfterAll
    static void stopBroker() throws Exception {
        BusClient.stopAndCheck(broker);
    }

    @AfterEach
    void stop() throws Exception {
        if (endpoint != null) {
            endpoint.close();
        }
        if (nodeConnection != null) {
            nodeConnection.close();
        }
        if (clientConnection != null) {
            clientConnection.close();
        }
    }

    private static ActiveMQConnectionFactory connectionFactory() {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(brokerUrl);
        factory.setWatchTopicAdvisories(false);
        return factory;
    }

    private void startNode(ResponderConfig config) throws Exception {
        NodeFacts facts = ResponderWiring.facts(config, Clock.systemUTC());
        nodeConnection = connectionFactory().createConnection();
        nodeConnection.start();
        NodeSecurity security = TestTrust.shared().node(facts.identity());
        endpoint = NodeEndpoint.open(nodeConnection, new Destinations("orch"), codec, security.sealer());
        endpoint.serve(ResponderWiring.responder(config, facts, ResponderWiring.executor(config.reboot()),
                Runnable::run, endpoint, Clock.systemUTC(), security));

        clientConnection = connectionFactory().createConnection();
        clientConnection.start();
        client = clientConnection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        producer = client.createProducer(client.createTopic("orch.node." + config.identity()));
        producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
        replyTo = client.createTemporaryQueue();
        client.createConsumer(replyTo).setMessageListener(m -> {
            try {
                replies.add(codec.decodeReply(codec.decodeEnvelope(((TextMessage) m).getText(),
                        io.orch.protocol.envelope.SecureEnvelope.Kind.REPLY).body()));
            } catch (Exception e) {
                throw new IllegalStateException("the node sent an unreadable reply", e);
            }
        });
    }

    private Reply ask(Action action, FilterSpec filter) throws Exception {
        Request request = Request.create("orch", action, filter, Map.of(), "tester", "junit", Instant.now(),
                Duration.ofSeconds(60));
        String identity = ((jakarta.jms.Topic) producer.getDestination()).getTopicName().substring("orch.node.".length());
        TextMessage message = client.createTextMessage(TestTrust.shared().operatorSealer().seal(
                io.orch.protocol.envelope.SecureEnvelope.Kind.REQUEST,
                codec.encodeInnerRequest(request.routed(identity, replyTo.getQueueName()))));
        message.setJMSCorrelationID(request.id());
        message.setJMSReplyTo(replyTo);
        producer.send(message);
        return await().atMost(REPLY_BOUND).pollInterval(Duration.ofMillis(10))
                .until(() -> replies.stream().filter(r -> r.requestId().equals(request.id())).findFirst(),
                        Optional::isPresent).orElseThrow();
    }

    @Test
    void hangingFactScriptHoldsAPingNoLongerThanItsTimeoutAndStatusReportsTheFactError() throws Exception {
        write(root, "proc/sys/kernel/random/boot_id", "boot-1\n");
        Path hang = script(factsDir, "hang.sh", "sleep 30");
        script(factsDir, "role.sh", "echo role=web");
        // TTL 0: every request reads the folder again, so each one waits on the hanging script.
        ResponderConfig config = new ResponderConfig("ext01", "orch", null,
                new ResponderConfig.Facts(root.toString(), List.of(), factsDir.toString(), 1, 0), null, null, null);
        startNode(config);

        Reply pong = ask(Action.PING, new FilterSpec(List.of("role=web"), List.of(), null));

        assertEquals(ReplyStatus.OK, pong.status(), pong.message());
        assertTrue(pong.matched(), "the good script's facts still count");

        Reply status = ask(Action.STATUS, null);

        assertEquals(ReplyStatus.OK, status.status(), status.message());
        assertEquals(Map.of(hang.toString(), "did not finish within 1s; killed"), WireData.of(status).get("fact_errors"));
    }
}
