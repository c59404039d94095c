package io.orch.responder.bus;

import io.orch.protocol.bus.Destinations;
import io.orch.protocol.bus.MessageBodies;
import io.orch.protocol.envelope.Announcement;
import io.orch.protocol.envelope.Codec;
import io.orch.protocol.envelope.Event;
import io.orch.protocol.envelope.InvalidMessageException;
import io.orch.protocol.envelope.SecureEnvelope;
import io.orch.trust.Sealer;
import io.orch.responder.event.EventSink;
import io.orch.responder.node.Responder;
import io.orch.responder.registry.Announcer;
import io.orch.responder.registry.Presence;
import io.orch.responder.request.Delivery;
import io.orch.responder.request.Outcome;
import io.orch.responder.request.RateLimitedLog;
import io.orch.responder.request.RequestLog;
import io.orch.responder.request.Unanswered;
import io.orch.protocol.Limits;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.activemq.ActiveMQMessageProducer;
import org.apache.activemq.AsyncCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's presence on the bus: its own session on a (possibly shared) connection, so
 * the lab can run many nodes over a few connections with exactly the code a real node runs.
 * With a {@link Presence} it also announces the node on its registry topic ({@link Announcer}).
 */
public final class NodeEndpoint implements EventSink, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeEndpoint.class);

    private final Destinations destinations;
    private final Codec codec;
    /** Signs every reply and event with the node's key. */
    private final Sealer sealer;
    private final Session session;
    private final MessageProducer producer;
    private final Topic events;
    /** A session is single-threaded; replies (dispatch thread) and events (reboot thread) share it. */
    private final Object sendLock = new Object();
    /**
     * Where the audit line of a request with nothing to follow its reply is written: on the dispatch thread
     * itself for a real node (it already goes after the reply), on one writer the lab's nodes share.
     */
    private final Executor auditWriter;
    /** Messages dropped unanswered: anyone on the bus can send them by the thousand. */
    private final RateLimitedLog dropped = new RateLimitedLog(log, Limits.MAX_DROPPED_LOG_LINES_PER_MINUTE,
            Clock.systemUTC());
    private final Connection connection;
    /** How the node announces itself; null for an endpoint that does not (tests of other things). */
    private final Presence presence;
    private volatile Responder responder;
    private volatile Announcer announcer;
    /** Stops the announcement after a reconnect; set while serving with a presence. */
    private volatile Runnable stopWatchingReturns = () -> { };
    private volatile boolean closed;

    private NodeEndpoint(Connection connection, Destinations destinations, Codec codec, Sealer sealer, Session session,
                         MessageProducer producer, Topic events, Presence presence, Executor auditWriter) {
        this.connection = connection;
        this.auditWriter = auditWriter;
        this.destinations = destinations;
        this.codec = codec;
        this.sealer = sealer;
        this.session = session;
        this.producer = producer;
        this.events = events;
        this.presence = presence;
    }

    /** Opens the node's session, for a node that does not announce itself; call {@link #serve} once the responder exists. */
    public static NodeEndpoint open(Connection connection, Destinations destinations, Codec codec, Sealer sealer)
            throws JMSException {
        return open(connection, destinations, codec, sealer, null, Runnable::run);
    }

    /**
     * Opens the node's session; call {@link #serve} once the responder exists.
     *
     * @param presence how the node announces itself on its registry topic; null for not at all
     */
    public static NodeEndpoint open(Connection connection, Destinations destinations, Codec codec, Sealer sealer,
                                    Presence presence) throws JMSException {
        return open(connection, destinations, codec, sealer, presence, Runnable::run);
    }

    /**
     * As {@link #open(Connection, Destinations, Codec, Sealer, Presence)}, writing the audit line of a request
     * that has no action to follow its reply through {@code auditWriter}. Many nodes in one process (the lab)
     * answer a broadcast on a few cores; one writer for all of them lets every reply leave before the
     * audit files are written, as a real fleet's nodes, each on its own machine, answer before they write.
     * A line whose request is followed by an action (a reboot scheduled) is always written on the
     * dispatch thread, before the action starts.
     *
     * @param presence    how the node announces itself on its registry topic; null for not at all
     * @param auditWriter runs each task once, in the order given, for this node at least
     */
    public static NodeEndpoint open(Connection connection, Destinations destinations, Codec codec, Sealer sealer,
                                    Presence presence, Executor auditWriter) throws JMSException {
        java.util.Objects.requireNonNull(auditWriter, "auditWriter == null");
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer producer = session.createProducer(null);
        producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
        return new NodeEndpoint(connection, destinations, codec, sealer, session, producer,
                session.createTopic(destinations.events()), presence, auditWriter);
    }

    /** Subscribes to the broadcast and the node's own topic and announces the start. */
    public void serve(Responder responder) throws JMSException {
        serve(responder, this);
    }

    /**
     * As {@link #serve(Responder)}, with the start-up events ({@code started}, {@code rebooted}) going to {@code events}.
     * The reboot journal is settled before the node subscribes: settling may cancel a reboot the OS
     * still holds (a slow command), and a reboot promised meanwhile would be settled with it. Until then
     * the node takes no requests, as if it were still starting.
     */
    public void serve(Responder responder, EventSink events) throws JMSException {
        java.util.List<Event> startup = responder.startupEvents();
        this.responder = responder;
        String identity = responder.identity();
        Topic registry;
        synchronized (sendLock) {
            // Closed with the session in close().
            MessageConsumer broadcast = session.createConsumer(session.createTopic(destinations.broadcast()));
            broadcast.setMessageListener(message -> onMessage(message, false));
            MessageConsumer direct = session.createConsumer(session.createTopic(destinations.node(identity)));
            direct.setMessageListener(message -> onMessage(message, true));
            registry = session.createTopic(destinations.registry(identity));
        }
        startup.forEach(events::publish);
        if (presence != null) {
            // Announcements never expire: the broker keeps each node's latest for readers that come later.
            Announcer a = new Announcer(identity, responder.facts().bootId(), presence, sealer, codec,
                    json -> announce(registry, json), responder.clock());
            announcer = a;
            stopWatchingReturns = NodeConnections.onReturn(connection, a::resumed);
            a.start();
        }
        log.info("node {} serving collective '{}' on {} and {}", identity, destinations.collective(),
                destinations.broadcast(), destinations.node(identity));
    }

    /** How a handled message ended: whether the reply left, and why what was to follow it did not happen. */
    private record Ending(boolean replied, String notCarriedOut) {
        boolean carriedOut() {
            return notCarriedOut == null;
        }
    }

    /** @param direct whether the message came on the node's own topic rather than the broadcast */
    private void onMessage(Message message, boolean direct) {
        Responder current = responder;
        if (current == null || closed) {
            return;
        }
        Outcome outcome = null;
        Ending ending;
        try {
            Destination replyTo = message.getJMSReplyTo();
            String correlationId = message.getJMSCorrelationID();
            Delivery delivery = new Delivery(correlationId, direct, replyTo == null ? Delivery.ReplyTo.NONE
                    : replyTo instanceof TemporaryQueue ? Delivery.ReplyTo.TEMPORARY_QUEUE : Delivery.ReplyTo.OTHER,
                    name(replyTo));
            try {
                outcome = current.handle(MessageBodies.text(message), delivery);
            } catch (InvalidMessageException e) {
                outcome = current.unreadable(correlationId, e.getMessage(), delivery);
            }
            if (outcome.answered()) {
                ending = deliver(current, outcome, replyTo);
            } else {
                Unanswered why = outcome.unanswered();
                dropped.warn(why.kind().name(), "message {} on {}: {}; not answered, not acted on",
                        RequestLog.printable(outcome.audit() == null ? correlationId : outcome.audit().requestId()),
                        direct ? "this node's topic" : "the broadcast", why.why());
                ending = new Ending(false, null);
            }
        } catch (JMSException | RuntimeException e) {
            log.error("could not handle a message", e);
            ending = new Ending(false, "the node failed while answering: " + e);
        }
        if (outcome == null) {
            return;
        }
        // The audit line is written once the end is known, and before any action starts.
        boolean actionFollows = outcome.answered() && outcome.needsConfirmedReply() && ending.carriedOut();
        Outcome ended = outcome;
        Ending end = ending;
        Runnable audit = () -> {
            try {
                current.conclude(ended, end.replied(), end.notCarriedOut());
            } catch (RuntimeException e) {
                log.error("could not write the audit line of a message", e); // the audit never stops a request
            }
        };
        if (actionFollows) {
            audit.run();
        } else {
            try {
                auditWriter.execute(audit);
            } catch (RuntimeException e) {
                audit.run(); // a writer that refuses (stopping, full) leaves the line to this thread
            }
        }
        if (actionFollows) {
            try {
                outcome.afterReply().run();
            } catch (RuntimeException e) {
                log.error("request {}: the action after the reply failed", outcome.reply().requestId(), e);
            }
        }
    }

    /**
     * Sends the reply; for an outcome with an action, the action may follow only once the broker
     * confirmed the reply while the request is still fresh.
     */
    private Ending deliver(Responder current, Outcome outcome, Destination replyTo) {
        String requestId = outcome.reply().requestId();
        String json = sealer.seal(SecureEnvelope.Kind.REPLY, codec.encode(outcome.reply()));
        if (!outcome.needsConfirmedReply()) {
            return new Ending(send(replyTo, json, requestId, Limits.NODE_MESSAGE_TTL_MS), null);
        }
        Instant now = current.clock().instant();
        // The reply is worthless once the requester stops waiting, and so is the action.
        long ttl = Math.max(1000, Duration.between(now, outcome.actBefore()).toMillis());
        String failure = sendConfirmed(replyTo, json, requestId, ttl);
        if (failure != null) {
            // The requester may list this node as "no response"; acting anyway would be a surprise.
            return notCarriedOut(current, requestId, false, "scheduled reply not confirmed by the broker: " + failure);
        }
        Instant confirmed = current.clock().instant();
        if (!outcome.stillFresh(confirmed)) {
            return notCarriedOut(current, requestId, true, "request expired at " + outcome.actBefore()
                    + " before the broker confirmed the reply (at " + confirmed + ")");
        }
        return new Ending(true, null);
    }

    /** The name a signed request gives for its reply destination. */
    static String name(Destination destination) throws JMSException {
        if (destination instanceof Queue queue) {
            return queue.getQueueName();
        }
        if (destination instanceof Topic topic) {
            return topic.getTopicName();
        }
        return destination == null ? null : destination.toString();
    }

    private Ending notCarriedOut(Responder current, String requestId, boolean replied, String why) {
        log.warn("request {}: not acting on it: {}", requestId, why);
        publish(current.events().rebootFailed(requestId, why));
        return new Ending(replied, why);
    }

    @Override
    public void publish(Event event) {
        if (!send(events, sealer.seal(SecureEnvelope.Kind.EVENT, codec.encode(event)), null, Limits.NODE_MESSAGE_TTL_MS)) {
            log.warn("could not publish {} event for request {}", event.type().wireName(), event.requestId());
        }
    }

    /** Sends and goes on; the failover transport bounds how long this blocks while disconnected. */
    private boolean send(Destination to, String json, String correlationId, long ttlMs) {
        try {
            return sendOrThrow(to, json, correlationId, ttlMs);
        } catch (JMSException e) {
            log.warn("send to {} failed: {}", to, e.getMessage());
            return false;
        }
    }

    /** An announcement: its failures are the announcer's to log (at most once a minute), not one line each. */
    private boolean announce(Destination to, String json) {
        try {
            return sendOrThrow(to, json, null, 0);
        } catch (JMSException e) {
            log.debug("announcement to {} failed: {}", to, e.getMessage());
            return false;
        }
    }

    private boolean sendOrThrow(Destination to, String json, String correlationId, long ttlMs) throws JMSException {
        if (closed) {
            return false;
        }
        synchronized (sendLock) {
            producer.send(to, message(json, correlationId), DeliveryMode.NON_PERSISTENT, Message.DEFAULT_PRIORITY, ttlMs);
            return true;
        }
    }

    /**
     * Sends and waits (bounded) until the broker has confirmed receipt.
     *
     * @return null when confirmed, else why not
     */
    private String sendConfirmed(Destination to, String json, String correlationId, long ttlMs) {
        if (closed) {
            return "endpoint closed";
        }
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<JMSException> failure = new AtomicReference<>();
        synchronized (sendLock) {
            try {
                // The callback comes from the transport thread once the broker answered, so this session's
                // dispatch thread never blocks on the broker indefinitely.
                ((ActiveMQMessageProducer) producer).send(to, message(json, correlationId), DeliveryMode.NON_PERSISTENT,
                        Message.DEFAULT_PRIORITY, ttlMs, new AsyncCallback() {
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
                return "send to " + to + " failed: " + e.getMessage();
            }
        }
        try {
            if (!done.await(Limits.REPLY_CONFIRM_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                return "no confirmation within " + Limits.REPLY_CONFIRM_TIMEOUT_MS + " ms";
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while waiting for the confirmation";
        }
        return failure.get() == null ? null : "broker refused the reply: " + failure.get().getMessage();
    }

    /** Call under {@link #sendLock}. */
    private TextMessage message(String json, String correlationId) throws JMSException {
        TextMessage message = session.createTextMessage(json);
        if (correlationId != null) {
            message.setJMSCorrelationID(correlationId);
        }
        return message;
    }

    /**
     * Leaves the bus cleanly: announces {@code rebooting} when a reboot handed to the OS is under way (the
     * journal says so), else {@code stopped}, then no more requests reach this node. The shared
     * connection stays open.
     */
    @Override
    public void close() {
        Announcer a = announcer;
        Responder r = responder;
        if (a != null && r != null && !closed) {
            Announcement.State last = r.rebootHandedToOs() ? Announcement.State.REBOOTING : Announcement.State.STOPPED;
            if (!NodeConnections.onTheBus(connection)) {
                log.info("leaving without announcing '{}': the broker is out of reach", last.wireName());
                a.silence();
            } else if (!lastWord(a, last)) {
                log.info("leaving without announcing '{}': not sent within {} ms (broker out of reach?)",
                        last.wireName(), Limits.NODE_LAST_ANNOUNCEMENT_WAIT_MS);
            }
        }
        drop();
    }

    /**
     * Says the last word on a thread of its own, waiting at most {@link Limits#NODE_LAST_ANNOUNCEMENT_WAIT_MS}: a
     * send to a broker that just went away waits for its return, and a node stopping for a reboot must not.
     */
    private static boolean lastWord(Announcer a, Announcement.State last) {
        Thread saying = new Thread(() -> a.stop(last), "orch-last-announcement");
        saying.setDaemon(true);
        saying.start();
        try {
            saying.join(Limits.NODE_LAST_ANNOUNCEMENT_WAIT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (saying.isAlive()) {
            a.silence();
            return false;
        }
        return true;
    }

    /** Leaves the bus without a word, as a crash or a dead network would: the last announcement stays {@code up}. */
    public void drop() {
        stopWatchingReturns.run();
        Announcer a = announcer;
        if (a != null) {
            a.silence();
        }
        closed = true;
        try {
            session.close();
        } catch (JMSException e) {
            log.debug("closing session: {}", e.getMessage());
        }
    }
}
