package io.orch.protocol.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orch.protocol.envelope.Action;
import io.orch.protocol.envelope.Codec;
import io.orch.protocol.envelope.Request;
import io.orch.protocol.filter.FilterSpec;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.broker.BrokerService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The plugin, in a real broker on loopback, records exactly the orch messages that break their schema. */
class SchemaCheckingBrokerPluginTest {
    private BrokerService broker;
    private SchemaCheckingBrokerPlugin plugin;
    private Connection connection;

    @BeforeEach
    void start() throws Exception {
        broker = new BrokerService();
        broker.setBrokerName("schema-plugin-test");
        broker.setPersistent(false);
        broker.setUseJmx(false);
        broker.setUseShutdownHook(false);
        broker.setAdvisorySupport(false);
        broker.setSchedulerSupport(false);
        broker.addConnector("tcp://127.0.0.1:0");
        plugin = SchemaCheckingBrokerPlugin.installOn(broker);
        broker.start();
        broker.waitUntilStarted();
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(
                "tcp://127.0.0.1:" + broker.getTransportConnectors().get(0).getConnectUri().getPort());
        factory.setAlwaysSyncSend(true); // send returns once the broker (and the plugin) had the message
        connection = factory.createConnection();
        connection.start();
    }

    @AfterEach
    void stop() throws Exception {
        connection.close();
        broker.stop();
        broker.waitUntilStopped();
    }

    @Test
    void goodMessagesPassAndABadOneIsRecordedWithItsDestination() throws Exception {
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer producer = session.createProducer(session.createTopic("orch.node.web01"));
        Request ping = Request.create("orch", Action.PING, FilterSpec.EMPTY, Map.of(), "alice", "jump1",
                Instant.now(), Duration.ofSeconds(10));
        producer.send(session.createTextMessage(new Codec().encodeRequest(ping)));
        producer.send(session.createTextMessage("{\"not\":\"ours\"}"));
        producer.send(session.createTextMessage("plain text"));
        BytesMessage bad = session.createBytesMessage();
        bad.writeBytes(("{\"protocol\":\"orch.event.v2\",\"type\":\"rebooted\",\"node\":\"web01\",\"boot_id\":\"b\","
                + "\"request_id\":\"r1\",\"time\":\"2026-11-22T02:29:15Z\",\"data\":{\"pending\":\"no\"}}")
                .getBytes(StandardCharsets.UTF_8));
        session.createProducer(session.createTopic("orch.events")).send(bad);

        assertEquals(2, plugin.checked());
        List<String> violations = plugin.violations();
        assertTrue(!violations.isEmpty() && violations.stream().allMatch(v -> v.startsWith("topic://orch.events: ")),
                String.valueOf(violations));
        assertTrue(violations.stream().anyMatch(v -> v.contains("old_boot_id")), String.valueOf(violations));
        assertTrue(violations.stream().anyMatch(v -> v.contains("pending")), String.valueOf(violations));
        assertThrows(AssertionError.class, plugin::assertNoViolations);
    }

    @Test
    void anOldVersionIsAViolationNamingTheVersionsThatHaveSchemas() throws Exception {
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        session.createProducer(session.createTopic("orch.events")).send(session.createTextMessage(
                "{\"protocol\":\"orch.event.v1\",\"type\":\"cancelled\",\"node\":\"web01\",\"boot_id\":\"\","
                        + "\"request_id\":\"r1\",\"time\":\"2026-11-22T02:29:15Z\",\"data\":{}}"));
        assertEquals(1, plugin.checked());
        assertTrue(plugin.violations().get(0).contains("no schema for protocol 'orch.event.v1'; schemas exist for "
                + "[orch.announcement.v1, orch.event.v2, orch.reply.v2, orch.request.v1, orch.secure.v1]"), plugin.violations().get(0));
    }

    @Test
    void aMessageTheTestMarkedDeliberatelyBrokenIsSkippedNotAViolation() throws Exception {
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer events = session.createProducer(session.createTopic("orch.events"));
        String oldVersion = "{\"protocol\":\"orch.event.v1\",\"type\":\"cancelled\",\"node\":\"web01\","
                + "\"boot_id\":\"\",\"request_id\":\"r1\",\"time\":\"2026-11-22T02:29:15Z\",\"data\":{}}";

        events.send(SchemaCheckingBrokerPlugin.markDeliberatelyBroken(session.createTextMessage(oldVersion)));
        events.send(SchemaCheckingBrokerPlugin.markDeliberatelyBroken(session.createTextMessage("{not json")));

        assertEquals(0, plugin.checked());
        assertEquals(2, plugin.skipped());
        plugin.assertNoViolations();
        events.send(session.createTextMessage(oldVersion)); // the same message unmarked still counts
        assertEquals(1, plugin.violations().size());
    }
}
