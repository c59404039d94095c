package io.orch.cli.client;

import io.orch.protocol.bus.Destinations;
import io.orch.protocol.bus.MessageBodies;
import io.orch.protocol.envelope.Codec;
import io.orch.protocol.envelope.InvalidMessageException;
import io.orch.protocol.envelope.Reply;
import io.orch.protocol.envelope.Request;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.CompletableFuture;
import org.apache.activemq.ActiveMQConnectionFactory;

/**
 * One CLI session on the bus: a connection, a temporary reply queue, and the two ways of
 * asking: {@link #broadcast} (everyone, collect until done) and {@link #direct} (exactly these
 * nodes, wait for exactly them).
 */
public final class OrchClient implements AutoCloseable {
    private final Destinations destinations;
    private final Codec codec;
    private final Connection connection;
    private final Session session;
    private final MessageProducer producer;
    private final TemporaryQueue replyQueue;
    private final LinkedBlockingQueue<Object> inbox = new LinkedBlockingQueue<>();

    private OrchClient(Destinations destinations, Codec codec, Connection connection) throws JMSException {
        this.destinations = destinations;
        this.codec = codec;
        this.connection = connection;
        this.session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        this.producer = session.createProducer(null);
        this.producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
        // Replies arrive on their own session: JMS forbids sending on a session whose listener runs.
        Session replySession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        this.replyQueue = replySession.createTemporaryQueue();
        MessageConsumer consumer = replySession.createConsumer(replyQueue);
        consumer.setMessageListener(this::receive);
        connection.start();
    }

    /**
     * Connects within {@code timeout} or gives up: a CLI must never hang on a dead broker,
     * whatever the URL's own reconnect settings say.
     */
    public static OrchClient connect(String brokerUrl, Destinations destinations, Duration timeout)
            throws BrokerUnreachableException {
        ActiveMQConnectionFactory factory;
        try {
            factory = new ActiveMQConnectionFactory(brokerUrl);
        } catch (IllegalArgumentException e) {
            throw new BrokerUnreachableException("invalid broker URL '" + brokerUrl + "': " + e.getMessage());
        }
        factory.setWatchTopicAdvisories(false);
        factory.setConnectResponseTimeout((int) timeout.toMillis());
        CompletableFuture<Connection> attempt = CompletableFuture.supplyAsync(() -> {
            try {
                Connection c = factory.createConnection();
                c.start();
                return c;
            } catch (JMSException e) {
                throw new RuntimeException(e);
            }
        });
        Connection connection;
        try {
            connection = attempt.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            attempt.thenAccept(OrchClient::closeQuietly);
            throw new BrokerUnreachableException("no answer from broker " + brokerUrl + " within "
                    + timeout.toSeconds() + "s");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof RuntimeException r && r.getCause() != null ? r.getCause()
                    : e.getCause();
            throw new BrokerUnreachableException("cannot connect to broker " + brokerUrl + ": " + rootMessage(cause));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerUnreachableException("interrupted while connecting to " + brokerUrl);
        }
        try {
            return new OrchClient(destinations, new Codec(), connection);
        } catch (JMSException e) {
            closeQuietly(connection);
            throw new BrokerUnreachableException("broker " + brokerUrl + " refused the session: " + rootMessage(e));
        }
    }

    /** Sends {@code request} to every node and collects replies until {@code discovery} says stop. */
    public Collected broadcast(Request request, Discovery discovery) throws JMSException, InterruptedException {
        long published = System.nanoTime();
        send(destinations.broadcast(), request);
        Map<String, NodeReply> replies = new LinkedHashMap<>();
        List<String> unreadable = new ArrayList<>();
        Set<String> waiting = new HashSet<>(discovery.inventory());
        long last = published;
        while (true) {
            if (!discovery.inventory().isEmpty() && waiting.isEmpty()) {
                break;
            }
            long wait = discovery.deadlineNanos(published, last, !replies.isEmpty()) - System.nanoTime();
            if (wait <= 0) {
                break;
            }
            Object item = inbox.poll(wait, TimeUnit.NANOSECONDS);
            if (item == null) {
                continue;
            }
            long now = System.nanoTime();
            if (take(item, request.id(), published, now, replies, unreadable)) {
                last = now;
                waiting.removeAll(replies.keySet());
            }
        }
        waiting.removeAll(replies.keySet());
        return new Collected(request.id(), replies, waiting, unreadable, Duration.ofNanos(System.nanoTime() - published),
                replies.isEmpty() ? Duration.ZERO : Duration.ofNanos(last - published));
    }

    /** Sends {@code request} to each of {@code nodes} on its own topic and waits for exactly those. */
    public Collected direct(Request request, Collection<String> nodes, Duration timeout)
            throws JMSException, InterruptedException {
        long published = System.nanoTime();
        String body = codec.encodeRequest(request);
        for (String node : nodes) {
            send(destinations.node(node), body, request);
        }
        Map<String, NodeReply> replies = new LinkedHashMap<>();
        List<String> unreadable = new ArrayList<>();
        Set<String> waiting = new HashSet<>(nodes);
        long deadline = published + timeout.toNanos();
        long last = published;
        while (!waiting.isEmpty()) {
            long wait = deadline - System.nanoTime();
            if (wait <= 0) {
                break;
            }
            Object item = inbox.poll(wait, TimeUnit.NANOSECONDS);
            if (item == null) {
                continue;
            }
            long now = System.nanoTime();
            if (take(item, request.id(), published, now, replies, unreadable)) {
                last = now;
                waiting.removeAll(replies.keySet());
            }
        }
        // A reply from a node that was not asked (a stale duplicate) must not count as an answer.
        replies.keySet().retainAll(new HashSet<>(nodes));
        return new Collected(request.id(), replies, waiting, unreadable, Duration.ofNanos(System.nanoTime() - published),
                replies.isEmpty() ? Duration.ZERO : Duration.ofNanos(last - published));
    }

    /** @return true when {@code item} was a reply to this request */
    private boolean take(Object item, String requestId, long published, long now, Map<String, NodeReply> replies,
                         List<String> unreadable) {
        if (item instanceof Reply reply) {
            if (!reply.requestId().equals(requestId)) {
                return false; // a late answer to an earlier phase
            }
            replies.putIfAbsent(reply.node(), new NodeReply(reply, Duration.ofNanos(now - published)));
            return true;
        }
        unreadable.add(String.valueOf(item));
        return false;
    }

    private void receive(Message message) {
        try {
            inbox.add(codec.decodeReply(MessageBodies.text(message)));
        } catch (InvalidMessageException | JMSException e) {
            inbox.add("unreadable reply: " + e.getMessage());
        }
    }

    private void send(String topic, Request request) throws JMSException {
        send(topic, codec.encodeRequest(request), request);
    }

    private void send(String topic, String body, Request request) throws JMSException {
        TextMessage message = session.createTextMessage(body);
        message.setJMSReplyTo(replyQueue);
        message.setJMSCorrelationID(request.id());
        producer.send(session.createTopic(topic), message, DeliveryMode.NON_PERSISTENT, Message.DEFAULT_PRIORITY,
                request.ttlSeconds() * 1000L);
    }

    /** Delivers every event of the collective to {@code listener} until the client is closed. */
    public void subscribeEvents(java.util.function.Consumer<io.orch.protocol.envelope.Event> listener)
            throws JMSException {
        Session eventSession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer = eventSession.createConsumer(eventSession.createTopic(destinations.events()));
        consumer.setMessageListener(message -> {
            try {
                listener.accept(codec.decodeEvent(MessageBodies.text(message)));
            } catch (InvalidMessageException | JMSException e) {
                // an event we cannot read is not one we wait for
            }
        });
    }

    @Override
    public void close() {
        closeQuietly(connection);
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (JMSException | RuntimeException e) {
            // closing on the way out: nothing left to do about it
        }
    }

    static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null ? root.getClass().getSimpleName() : message;
    }
}
