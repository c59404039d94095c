package io.orch.cli.client;

import io.orch.protocol.envelope.Event;
import jakarta.jms.JMSException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The collective's events as they arrive, each stamped with when this CLI received it. Ends
 * (returns {@link Poll#STOPPED}) once the client is stopped; a lost broker is an exception,
 * never a silent wait until the timeout.
 */
public final class EventFeed implements AutoCloseable {
    /** An event and the {@link System#nanoTime()} at which it arrived. */
    public record Received(Event event, long nanos) {
    }

    /** What a poll found when it was not an event. */
    public enum Poll { TIMEOUT, STOPPED }

    interface Closer {
        void close() throws JMSException;
    }

    private final LinkedBlockingQueue<Object> inbox;
    private final Closer closer;
    private boolean stopped;

    EventFeed(LinkedBlockingQueue<Object> inbox, Closer closer) {
        this.inbox = inbox;
        this.closer = closer;
    }

    /**
     * The next event within {@code nanos}, or {@link Poll#TIMEOUT} / {@link Poll#STOPPED}.
     *
     * @throws BrokerUnreachableException when the connection to the broker is lost
     */
    public Object poll(long nanos) throws InterruptedException, BrokerUnreachableException {
        if (stopped) {
            return Poll.STOPPED;
        }
        Object item = nanos <= 0 ? inbox.poll() : inbox.poll(nanos, TimeUnit.NANOSECONDS);
        if (item == null) {
            return Poll.TIMEOUT;
        }
        if (item instanceof Received) {
            return item;
        }
        if (item instanceof String) {
            return Poll.TIMEOUT; // not ours to report
        }
        if (OrchClient.isStopMarker(item)) {
            stopped = true;
            return Poll.STOPPED;
        }
        throw new BrokerUnreachableException("lost the broker while listening for node events; reboots already "
                + "scheduled still happen (check with orch status)");
    }

    @Override
    public void close() {
        try {
            closer.close();
        } catch (JMSException | RuntimeException e) {
            // the session goes with the connection anyway
        }
    }
}
