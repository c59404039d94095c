package io.orch.playground.bench;

import io.orch.protocol.Limits;
import io.orch.responder.bus.NodeConnections;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.util.ArrayList;
import java.util.List;
import org.apache.activemq.ActiveMQConnectionFactory;

/**
 * N bare consumers on one topic, each answering every message with the same fixed text to its
 * JMSReplyTo: no decoding, no signature, no audit. They sit on the broker exactly as the lab's nodes
 * do ({@link io.orch.playground.lab.Lab}): the same factory settings, {@code perConnection} sessions per
 * connection, the sessions sharing a pool instead of a thread each, one anonymous producer per session,
 * replies non-persistent with the node's time to live.
 */
final class RawFleet implements AutoCloseable {
    private final List<Connection> connections = new ArrayList<>();

    private RawFleet() {
    }

    /**
     * @param factory       set up by the caller for TLS or plain TCP; changed here as the lab changes its own
     * @param topic         where the client publishes
     * @param reply         the fixed answer every consumer sends
     */
    static RawFleet start(ActiveMQConnectionFactory factory, int consumers, int perConnection, String topic,
                          String reply) throws JMSException {
        if (consumers < 1 || perConnection < 1) {
            throw new IllegalArgumentException("consumers and perConnection must be positive");
        }
        NodeConnections.configure(factory);
        factory.setUseDedicatedTaskRunner(false);
        factory.setMaxThreadPoolSize(perConnection + 2);
        RawFleet fleet = new RawFleet();
        try {
            Connection connection = null;
            for (int i = 0; i < consumers; i++) {
                if (i % perConnection == 0) {
                    connection = factory.createConnection();
                    fleet.connections.add(connection);
                    connection.start();
                }
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageProducer producer = session.createProducer(null);
                producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
                MessageConsumer consumer = session.createConsumer(session.createTopic(topic));
                consumer.setMessageListener(message -> echo(session, producer, message, reply));
            }
        } catch (JMSException | RuntimeException e) {
            fleet.close();
            throw e;
        }
        return fleet;
    }

    /** The whole of a raw node's work: the reply, to where the request said. */
    private static void echo(Session session, MessageProducer producer, Message request, String reply) {
        try {
            Destination to = request.getJMSReplyTo();
            if (to == null) {
                return;
            }
            Message answer = session.createTextMessage(reply);
            answer.setJMSCorrelationID(request.getJMSCorrelationID());
            producer.send(to, answer, DeliveryMode.NON_PERSISTENT, Message.DEFAULT_PRIORITY,
                    Limits.NODE_MESSAGE_TTL_MS);
        } catch (JMSException e) {
            // a benchmark consumer: the client counts what arrived, and a missing reply shows there
        }
    }

    @Override
    public void close() {
        for (Connection c : connections) {
            try {
                c.close();
            } catch (JMSException e) {
                // leaving anyway
            }
        }
    }

    /** A text of {@code bytes} characters, all printable: the fixed body of a raw request or reply. */
    static String body(String head, int bytes) {
        StringBuilder b = new StringBuilder(head);
        while (b.length() < bytes) {
            b.append('x');
        }
        return b.toString();
    }
}
