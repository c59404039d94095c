package io.orch.cli.run;

import io.orch.protocol.envelope.Event;

/**
 * The collective's events as they arrive, each stamped with when it was received. Ends
 * ({@link Poll#STOPPED}) once the bus is stopped; a lost broker is an exception, never a silent
 * wait until the timeout.
 */
public interface EventFeed extends AutoCloseable {
    /** What one poll found. */
    sealed interface Polled permits Received, Poll {
    }

    /** An event and the {@link RunClock#nanoTime()} at which it arrived. */
    record Received(Event event, long nanos) implements Polled {
    }

    /** A poll that found no event. */
    enum Poll implements Polled { TIMEOUT, STOPPED }

    /**
     * The next event within {@code nanos}, or {@link Poll#TIMEOUT} / {@link Poll#STOPPED}.
     *
     * @throws BrokerUnreachableException when the connection to the broker is lost
     */
    Polled poll(long nanos) throws InterruptedException, BrokerUnreachableException;

    /** Never fails. */
    @Override
    void close();
}
