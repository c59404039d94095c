package io.orch.responder.bus;

import io.orch.protocol.bus.Destinations;
import io.orch.protocol.bus.MessageBodies;
import io.orch.protocol.envelope.Codec;
import io.orch.protocol.envelope.Event;
import io.orch.protocol.envelope.InvalidMessageException;
import io.orch.responder.EventSink;
import io.orch.responder.Outcome;
import io.orch.responder.Responder;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.activemq.ActiveMQMessageProducer;
import org.apache.activemq.AsyncCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's presence on the bus: its own session on a (possibly shared) connection, so
 * the lab can run many nodes over a few connections with exactly the code a real node runs.
 */
public final class NodeEndpoint implements EventSink, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeEndpoint.class);
    private static final long REPLY_TTL_MS = 120_000;
    /** How long a node waits for the broker to confirm a reply it must not act without. */
    private static final long CONFIRM_TIMEOUT_MS = 10_000;

    private final Destinations destinations;
    private final Codec codec;
    private final Session session;
    private final MessageProducer producer;
    private final Object sendLock = new Object();
    private final List<MessageConsumer> consumers = new ArrayList<>();
    private volatile Responder responder;
    private volatile boolean closed;

    private NodeEndpoint(Destinations destinations, Codec codec, Session session, MessageProducer producer) {
        this.destinations = destinations;
        this.codec = codec;
        this.session = session;
        this.producer = producer;
    }

    /** Opens the node's session; call {@link #serve} once the responder exists. */
    public static NodeEndpoint open(Connection connection, Destinations destinations, Codec codec)
            throws JMSException {
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer producer = session.createProducer(null);
        producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
        return new NodeEndpoint(destinations, codec, session, producer);
    }

    /** Subscribes to the broadcast and the node's own topic and announces the start. */
    public void serve(Responder responder) throws JMSException {
        this.responder = responder;
        String identity = responder.identity();
        for (String name : List.of(destinations.broadcast(), destinations.node(identity))) {
            MessageConsumer consumer = session.createConsumer(session.createTopic(name));
            consumer.setMessageListener(this::onMessage);
            consumers.add(consumer);
        }
        publish(responder.startedEvent());
        log.info("node {} serving collective '{}' on {} and {}", identity, destinations.collective(),
                destinations.broadcast(), destinations.node(identity));
    }

    private void onMessage(Message message) {
        Responder current = responder;
        if (current == null || closed) {
            return;
        }
        try {
            Destination replyTo = message.getJMSReplyTo();
            String correlationId = message.getJMSCorrelationID();
            String body;
            Outcome outcome;
            try {
                body = MessageBodies.text(message);
                outcome = current.handle(body, correlationId);
            } catch (InvalidMessageException e) {
                outcome = current.invalid(correlationId, e.getMessage());
            }
            if (replyTo == null) {
                // Nobody could learn what this node does, so it does nothing: no unreported reboots.
                log.warn("request {} has no reply destination; not acting on it ({})",
                        outcome.reply().requestId(), outcome.reply().status().wireName());
                return;
            }
            if (!send(replyTo, codec.encode(outcome.reply()), outcome.reply().requestId(),
                    outcome.needsConfirmedReply())) {
                // The requester will list this node as "no response"; acting anyway would be a surprise.
                log.warn("reply to request {} did not reach the broker; not acting on it",
                        outcome.reply().requestId());
                return;
            }
            outcome.afterReply().run();
        } catch (JMSException | RuntimeException e) {
            log.error("could not handle a message", e);
        }
    }

    @Override
    public void publish(Event event) {
        try {
            send(session.createTopic(destinations.events()), codec.encode(event), null, false);
        } catch (JMSException e) {
            log.warn("could not publish {} event: {}", event.type().wireName(), e.getMessage());
        }
    }

    /**
     * @param confirmed wait until the broker has confirmed receipt (bounded); otherwise send and go on
     * @return true when the message was sent (and, if asked, confirmed)
     */
    private boolean send(Destination to, String json, String correlationId, boolean confirmed) {
        if (closed) {
            return false;
        }
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<JMSException> failure = new AtomicReference<>();
        synchronized (sendLock) {
            try {
                TextMessage message = session.createTextMessage(json);
                if (correlationId != null) {
                    message.setJMSCorrelationID(correlationId);
                }
                if (!confirmed) {
                    producer.send(to, message, DeliveryMode.NON_PERSISTENT, Message.DEFAULT_PRIORITY, REPLY_TTL_MS);
                    return true;
                }
                // The callback comes from the transport thread once the broker answered, so this session's
                // dispatch thread never blocks on the broker indefinitely.
                ((ActiveMQMessageProducer) producer).send(to, message, DeliveryMode.NON_PERSISTENT,
                        Message.DEFAULT_PRIORITY, REPLY_TTL_MS, new AsyncCallback() {
                            @Override
                            public void onSuccess() {
                                done.countDown();
                            }

                            @Override
                            public void onException(JMSException e) {
                                failure.set(e);
                                done.countDown();
                            }
                        });
            } catch (JMSException e) {
                log.warn("send to {} failed: {}", to, e.getMessage());
                return false;
            }
        }
        try {
            if (!done.await(CONFIRM_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                log.warn("broker did not confirm the message to {} within {} ms", to, CONFIRM_TIMEOUT_MS);
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        if (failure.get() != null) {
            log.warn("broker refused the message to {}: {}", to, failure.get().getMessage());
            return false;
        }
        return true;
    }

    /** Leaves the bus: no more requests reach this node. The shared connection stays open. */
    @Override
    public void close() {
        closed = true;
        try {
            session.close();
        } catch (JMSException e) {
            log.debug("closing session: {}", e.getMessage());
        }
    }
}
