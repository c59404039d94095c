package io.orch.playground;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orch.protocol.Limits;
import io.orch.responder.security.NodeSecurity;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.TransportConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A message larger than {@link Limits#MAX_FRAME_BYTES} never reaches a node: the broker as {@code orch broker}
 * configures it refuses the frame from its size prefix and closes only the sender's connection; and on a broker
 * without the limit, the node's own limit (OpenWire negotiates each connection down to the lower side's) keeps
 * the frame off the node: the broker cannot write it to the node's connection and drops that connection, and
 * the node reconnects and serves again. Either way the node, a real responder process with the shipped 32 MB
 * heap, keeps answering pings.
 */
class TransportLimitsEndToEndTest {
    private static final int HUNDRED_MIB = 100 * 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void aHundredMebibyteMessageIsDroppedByTheBrokersTransportWhileTheNodeKeepsAnsweringPings() throws Exception {
        try (SchemaCheckedBroker broker = SchemaCheckedBroker.start();
             ResponderProcess node = ResponderProcess.start("node1", broker.url(), dir, false)) {
            Path nodes = Files.writeString(dir.resolve("nodes.txt"), "node1\n");
            awaitPingAnswered(broker.url(), nodes, false);

            // An operator's client that ignores the limit (its own check switched off) sends 100 MiB.
            ActiveMQConnectionFactory factory = NodeSecurity.connectionFactory(
                    broker.url() + "?wireFormat.maxFrameSizeEnabled=false", Cli.PKI.operator());
            factory.setWatchTopicAdvisories(false);
            AtomicBoolean cutOff = new AtomicBoolean();
            Connection flooder = factory.createConnection();
            try {
                flooder.setExceptionListener(e -> cutOff.set(true));
                flooder.start();
                Session session = flooder.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageProducer producer = session.createProducer(session.createTopic("orch.broadcast"));
                producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
                try {
                    producer.send(session.createTextMessage("x".repeat(HUNDRED_MIB)));
                } catch (JMSException e) {
                    cutOff.set(true); // the broker closed the connection while the frame was still going out
                }
                await().atMost(Duration.ofSeconds(60)).untilTrue(cutOff);
            } finally {
                try {
                    flooder.close();
                } catch (JMSException e) {
                    // already closed by the broker
                }
            }

            Cli.Result ping = ping(broker.url(), nodes, false);
            assertEquals(0, ping.exitCode(), ping.toString());
            assertTrue(ping.out().contains("\"identity\" : \"node1\""), ping.toString());
            assertTrue(node.alive(), node.log());
            assertFalse(node.log().contains("interrupted"),
                    "the broker closed only the sender's connection, not the node's:\n" + node.log());
            assertFalse(node.log().contains("OutOfMemoryError"), node.log());
        }
    }

    @Test
    void onABrokerWithoutTheLimitTheNodesOwnLimitKeepsALargeMessageOffItAndTheNodeReconnectsAndServesAgain() throws Exception {
        BrokerService broker = new BrokerService();
        broker.setBrokerName("no-frame-limit");
        broker.setPersistent(false);
        broker.setUseJmx(false);
        broker.setUseShutdownHook(false);
        broker.setAdvisorySupport(false);
        broker.setSchedulerSupport(false);
        TransportConnector connector = broker.addConnector("tcp://127.0.0.1:0"); // no maxFrameSize: unlimited
        broker.start();
        broker.waitUntilStarted();
        String url = "tcp://127.0.0.1:" + connector.getConnectUri().getPort();
        try (ResponderProcess node = ResponderProcess.start("node1", url, dir, true)) {
            Path nodes = Files.writeString(dir.resolve("nodes.txt"), "node1\n");
            awaitPingAnswered(url, nodes, true);

            ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(url);
            factory.setWatchTopicAdvisories(false);
            Connection sender = factory.createConnection();
            try {
                sender.start();
                Session session = sender.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageProducer producer = session.createProducer(session.createTopic("orch.broadcast"));
                producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
                producer.send(session.createTextMessage("x".repeat(8 * Limits.MAX_FRAME_BYTES)));
            } finally {
                sender.close();
            }

            awaitPingAnswered(url, nodes, true);
            assertTrue(node.alive(), node.log());
            assertFalse(node.log().contains("OutOfMemoryError"), node.log());
            assertTrue(node.log().contains("node node1: connection to broker"), node.log());
            assertTrue(node.log().contains("interrupted; reconnecting"), node.log());
            assertTrue(node.log().contains("is back after"), node.log());
        } finally {
            broker.stop();
            broker.waitUntilStopped();
        }
    }

    private static void awaitPingAnswered(String url, Path nodes, boolean insecure) {
        // Generous: a responder JVM starting on a busy machine; no figure is asserted here.
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200))
                .until(() -> ping(url, nodes, insecure).exitCode() == 0);
    }

    private static Cli.Result ping(String url, Path nodes, boolean insecure) {
        return insecure
                ? Cli.run("ping", "--broker", url, "--security", "insecure", "--nodes", nodes.toString(), "--json",
                "--discovery-timeout", "5s")
                : Cli.run("ping", "--broker", url, "--nodes", nodes.toString(), "--json", "--discovery-timeout", "5s");
    }
}
