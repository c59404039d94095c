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
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * N bare consumers on one topic, each answering every message with the same fixed text to its
 * JMSReplyTo: no decoding, no audit, and no signature unless asked for (then only the arithmetic of one
 * Ed25519 signature, in a JMS property). They sit on the broker exactly as the lab's nodes
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
     * @param key           signs each reply (over its text and the request's correlation id), or null for none
     */
    static RawFleet start(ActiveMQConnectionFactory factory, int consumers, int perConnection, String topic,
                          String reply, Ed25519PrivateKeyParameters key) throws JMSException {
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
                consumer.setMessageListener(message -> echo(session, producer, message, reply, key));
            }
        } catch (JMSException | RuntimeException e) {
            fleet.close();
            throw e;
        }
        return fleet;
    }

    /** The whole of a raw node's work: the reply, to where the request said, signed when there is a key. */
    private static void echo(Session session, MessageProducer producer, Message request, String reply,
                             Ed25519PrivateKeyParameters key) {
        try {
            Destination to = request.getJMSReplyTo();
            if (to == null) {
                return;
            }
            Message answer = session.createTextMessage(reply);
            String correlationId = request.getJMSCorrelationID();
            answer.setJMSCorrelationID(correlationId);
            if (key != null) {
                Ed25519Signer signer = new Ed25519Signer();
                signer.init(true, key);
                byte[] signed = signed(reply, correlationId);
                signer.update(signed, 0, signed.length);
                answer.setStringProperty(BenchOptions.SIGNATURE_PROPERTY,
                        Base64.getEncoder().encodeToString(signer.generateSignature()));
            }
            producer.send(to, answer, DeliveryMode.NON_PERSISTENT, Message.DEFAULT_PRIORITY,
                    Limits.NODE_MESSAGE_TTL_MS);
        } catch (JMSException e) {
            // a benchmark consumer: the client counts what arrived, and a missing reply shows there
        }
    }

    /** What a signed raw reply's signature covers: its text, then the request's correlation id. */
    static byte[] signed(String reply, String correlationId) {
        return (reply + "\n" + correlationId).getBytes(StandardCharsets.UTF_8);
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
