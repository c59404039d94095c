package io.orch.responder;

import static org.awaitility.Awaitility.await;

import io.orch.protocol.envelope.Codec;
import io.orch.protocol.envelope.Event;
import io.orch.protocol.envelope.EventType;
import io.orch.protocol.envelope.Reply;
import io.orch.protocol.envelope.Request;
import io.orch.protocol.envelope.SecureEnvelope;
import io.orch.trust.Sealer;
import io.orch.trust.Verifier;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.activemq.ActiveMQConnectionFactory;
import io.orch.protocol.schema.SchemaCheckingBrokerPlugin;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.TransportConnector;
import org.awaitility.core.ConditionFactory;

/**
 * The requester's side of the bus for tests, as the CLI does it: requests to a node's topic with
 * a temporary queue as reply-to, and every event of the collective collected from the start.
 */
public final class BusClient implements AutoCloseable {
    /** The schema check of each broker made here, until it is stopped. */
    private static final java.util.Map<BrokerService, SchemaCheckingBrokerPlugin> SCHEMAS =
            new java.util.concurrent.ConcurrentHashMap<>();

    private final Codec codec = new Codec();
    /** Requests go out signed as the tests' operator, unless a test says otherwise. */
    private volatile Sealer sealer = TestTrust.shared().operatorSealer();
    private volatile Verifier verifier = TestTrust.shared().verifier();
    private final Connection connection;
    private final Session session;
    private final MessageProducer producer;
    private final TemporaryQueue replyTo;
    public final List<Reply> replies = new CopyOnWriteArrayList<>();
    public final List<Event> events = new CopyOnWriteArrayList<>();

    private BusClient(String brokerUrl) throws JMSException {
        connection = factory(brokerUrl).createConnection();
        connection.start();
        session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        producer = session.createProducer(null);
        producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
        replyTo = session.createTemporaryQueue();
        session.createConsumer(replyTo).setMessageListener(m -> {
            try {
                replies.add(codec.decodeReply(verified(((TextMessage) m).getText(), SecureEnvelope.Kind.REPLY)));
            } catch (Exception e) {
                throw new IllegalStateException("the node sent an unreadable reply", e);
            }
        });
        session.createConsumer(session.createTopic("orch.events")).setMessageListener(m -> {
            try {
                events.add(codec.decodeEvent(verified(((TextMessage) m).getText(), SecureEnvelope.Kind.EVENT)));
            } catch (Exception e) {
                throw new IllegalStateException("the node sent an unreadable event", e);
            }
        });
    }

    /** Connected and subscribed to the events topic when this returns. */
    public static BusClient connect(String brokerUrl) throws JMSException {
        return new BusClient(brokerUrl);
    }

    public static ActiveMQConnectionFactory factory(String brokerUrl) {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(brokerUrl);
        factory.setWatchTopicAdvisories(false);
        return factory;
    }

    /** A broker on a free loopback port, without persistence, JMX or advisories. */
    public static BrokerService startBroker(String name) throws Exception {
        BrokerService broker = newBroker(name);
        broker.start();
        broker.waitUntilStarted();
        return broker;
    }

    /**
     * A broker not yet started, listening on a free loopback port once it is. It checks every
     * reply, event and announcement against its JSON Schema ({@link #stopAndCheck}); the requests are the
     * tests' own, some broken on purpose, so they are not checked here.
     */
    public static BrokerService newBroker(String name) throws Exception {
        BrokerService broker = new BrokerService();
        broker.setBrokerName(name);
        broker.setPersistent(false);
        broker.setUseJmx(false);
        broker.setUseShutdownHook(false);
        broker.setAdvisorySupport(false);
        broker.setSchedulerSupport(false);
        SCHEMAS.put(broker, SchemaCheckingBrokerPlugin.installOn(broker, "orch.reply.", "orch.event.",
                "orch.announcement."));
        broker.addConnector("tcp://127.0.0.1:0");
        return broker;
    }

    /** Stops {@code broker}, then fails if any reply or event that passed through it broke its schema. */
    public static void stopAndCheck(BrokerService broker) throws Exception {
        broker.stop();
        broker.waitUntilStopped();
        SchemaCheckingBrokerPlugin schemas = SCHEMAS.remove(broker);
        if (schemas != null) {
            schemas.assertNoViolations();
            if (schemas.checked() == 0) {
                throw new AssertionError("no reply or event passed through broker " + broker.getBrokerName()
                        + ": the schema check saw nothing, so it proved nothing");
            }
        }
    }

    public static String url(BrokerService broker) throws Exception {
        TransportConnector connector = broker.getTransportConnectors().get(0);
        return "tcp://127.0.0.1:" + connector.getConnectUri().getPort();
    }

    public static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10));
    }

    /**
     * The body of a reply or event, once its signature is verified and its signer is the node it
     * speaks for: a node that does not sign fails the test.
     */
    private String verified(String text, SecureEnvelope.Kind kind) throws Exception {
        SecureEnvelope envelope = codec.decodeEnvelope(text, kind);
        String node = codec.mapper().readTree(envelope.body()).path("node").asText();
        Verifier.Signer signer = verifier.verify(envelope, node);
        if (!signer.name().equals(node)) {
            throw new IllegalStateException(kind + " for " + node + " signed by " + signer.name());
        }
        return envelope.body();
    }

    /** Signs what follows with {@code sealer} instead of the tests' operator. */
    public BusClient signingWith(Sealer sealer) {
        this.sealer = sealer;
        return this;
    }

    /** Checks replies and events against another site's CA (set before anything arrives). */
    public BusClient verifyingWith(Verifier verifier) {
        this.verifier = verifier;
        return this;
    }

    /** This client's reply queue, as a signed request names it. */
    public String replyToName() throws JMSException {
        return replyTo.getQueueName();
    }

    /** The request as this client sends it to {@code topic}: routed there, replies here, signed. */
    public String sealed(String topic, Request request) throws JMSException {
        return sealer.seal(SecureEnvelope.Kind.REQUEST, codec.encodeInnerRequest(routed(topic, request)));
    }

    /** {@code request} routed to {@code topic}, with this client's reply queue; a request routed already stays. */
    public Request routed(String topic, Request request) throws JMSException {
        if (request.target() != null) {
            return request;
        }
        int node = topic.indexOf(".node.");
        return request.routed(node < 0 ? Request.BROADCAST : topic.substring(node + ".node.".length()), replyToName());
    }

    /** Sends a body exactly as given, with this client's reply queue. */
    public void sendBody(String topic, String body, String correlationId) throws JMSException {
        TextMessage message = session.createTextMessage(body);
        message.setJMSCorrelationID(correlationId);
        message.setJMSReplyTo(replyTo);
        producer.send(session.createTopic(topic), message);
    }

    /** Sends without waiting for the answer. */
    public void send(String topic, Request request) throws JMSException {
        TextMessage message = session.createTextMessage(sealed(topic, request));
        message.setJMSCorrelationID(request.id());
        message.setJMSReplyTo(replyTo);
        producer.send(session.createTopic(topic), message);
    }

    public Reply ask(String topic, Request request) throws JMSException {
        send(topic, request);
        return replyTo(request.id());
    }

    public Reply replyTo(String requestId) {
        return eventually().until(() -> replies.stream().filter(r -> r.requestId().equals(requestId)).findFirst(),
                Optional::isPresent).orElseThrow();
    }

    public Event event(EventType type, String requestId) {
        return eventually().until(() -> events.stream().filter(e -> e.type() == type
                && requestId.equals(e.requestId())).findFirst(), Optional::isPresent).orElseThrow();
    }

    public List<Event> events(EventType type) {
        return events.stream().filter(e -> e.type() == type).toList();
    }

    @Override
    public void close() throws JMSException {
        connection.close();
    }
}
