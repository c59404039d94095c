package io.orch.responder.bus;

import io.orch.protocol.Limits;
import io.orch.protocol.bus.BrokerUrl;
import jakarta.jms.Connection;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.activemq.ActiveMQConnection;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.transport.TransportListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a node's connection to the broker is set up and watched, the same for {@code orch-responder} and
 * the lab's nodes: bounded in what the broker can push at it, and saying in the log when the broker
 * went away and when it is back (the failover transport reconnects and restores the node's
 * subscriptions by itself).
 */
public final class NodeConnections {
    private static final Logger log = LoggerFactory.getLogger(NodeConnections.class);

    private NodeConnections() {
    }

    /**
     * A node's broker URL: failover with orch's quick capped back-off, every transport bounded
     * ({@link BrokerUrl#reconnecting}).
     *
     * @param startupAttempts connection attempts at start before giving up; 0 waits for ever
     */
    public static String url(String brokerUrl, int startupAttempts) {
        return BrokerUrl.reconnecting(brokerUrl, startupAttempts);
    }

    /**
     * Whether {@code connection} is on the bus now: false when its transport failed or a failover
     * transport is between brokers (a send would then wait for one to return).
     */
    public static boolean onTheBus(Connection connection) {
        if (!(connection instanceof ActiveMQConnection amq)) {
            return true;
        }
        if (amq.isClosed() || amq.isTransportFailed()) {
            return false;
        }
        org.apache.activemq.transport.failover.FailoverTransport failover =
                amq.getTransport().narrow(org.apache.activemq.transport.failover.FailoverTransport.class);
        return failover == null || failover.isConnected();
    }

    /** Sets what a node's factory must hold whatever the URL says: the topic prefetch, no advisories. */
    public static void configure(ActiveMQConnectionFactory factory) {
        factory.setWatchTopicAdvisories(false);
        factory.getPrefetchPolicy().setTopicPrefetch(Limits.NODE_TOPIC_PREFETCH);
    }

    /**
     * Runs {@code onReturn} each time {@code connection}'s transport is back after an interruption (not at
     * the first connect), once the failover transport has restored the subscriptions. It runs on the
     * transport's thread: it must only hand work over, never send.
     *
     * @return what stops it (for a node leaving a connection the lab shares)
     */
    public static Runnable onReturn(Connection connection, Runnable onReturn) {
        if (!(connection instanceof ActiveMQConnection amq)) {
            return () -> { };
        }
        java.util.concurrent.atomic.AtomicBoolean interrupted = new java.util.concurrent.atomic.AtomicBoolean();
        TransportListener listener = new TransportListener() {
            @Override
            public void onCommand(Object command) {
            }

            @Override
            public void onException(IOException error) {
            }

            @Override
            public void transportInterupted() {
                interrupted.set(true);
            }

            @Override
            public void transportResumed() {
                if (interrupted.getAndSet(false)) {
                    onReturn.run();
                }
            }
        };
        amq.addTransportListener(listener);
        return () -> amq.removeTransportListener(listener);
    }

    /**
     * Logs when {@code connection}'s transport is interrupted and when it is back; call before
     * {@code start()}.
     *
     * @param who what the log line names: the node, or the lab's connection
     */
    public static void watch(Connection connection, String who, String brokerUrl) {
        if (!(connection instanceof ActiveMQConnection amq)) {
            return;
        }
        String shown = BrokerUrl.redact(brokerUrl);
        AtomicLong lostAt = new AtomicLong();
        amq.addTransportListener(new TransportListener() {
            @Override
            public void onCommand(Object command) {
            }

            @Override
            public void onException(IOException error) {
                log.warn("{}: connection to broker {} failed for good: {}", who, shown, error.getMessage());
            }

            @Override
            public void transportInterupted() {
                lostAt.set(System.nanoTime());
                log.warn("{}: connection to broker {} interrupted; reconnecting (every {} ms at most)", who, shown,
                        Limits.RECONNECT_MAX_DELAY_MS);
            }

            @Override
            public void transportResumed() {
                long since = lostAt.getAndSet(0);
                if (since == 0) {
                    return; // the first connection, not a return
                }
                log.info("{}: connection to broker {} is back after {} ms; serving again", who, shown,
                        (System.nanoTime() - since) / 1_000_000);
            }
        });
    }
}
