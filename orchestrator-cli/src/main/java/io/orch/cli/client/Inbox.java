package io.orch.cli.client;

import io.orch.protocol.Limits;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where a JMS listener leaves what arrived for the run to take: bounded, and never blocking the
 * listener. A message that finds it full is dropped and counted ({@link #dropped}), since a blocked
 * listener would stall every session of the connection and an unbounded queue would let a flood
 * take the CLI's memory. Signals (stop, broker lost) always get in: there are only ever a few.
 */
final class Inbox {
    private final LinkedBlockingQueue<Inbound> queue = new LinkedBlockingQueue<>();
    private final int capacity;
    /** Messages (not signals) in the queue. */
    private final AtomicInteger held = new AtomicInteger();
    private final AtomicLong dropped;

    /**
     * @param dropped where drops are counted: shared by every inbox of one client, so the run reports one number
     */
    Inbox(int capacity, AtomicLong dropped) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
        this.dropped = dropped;
    }

    /** An inbox of {@link Limits#MAX_CLI_INBOX_MESSAGES}. */
    Inbox(AtomicLong dropped) {
        this(Limits.MAX_CLI_INBOX_MESSAGES, dropped);
    }

    /** @return false when the inbox was full and {@code message} was dropped (and counted) */
    boolean offer(Inbound message) {
        if (message instanceof Inbound.Signal signal) {
            signal(signal);
            return true;
        }
        if (held.incrementAndGet() > capacity) {
            held.decrementAndGet();
            dropped.incrementAndGet();
            return false;
        }
        queue.add(message);
        return true;
    }

    void signal(Inbound.Signal signal) {
        queue.add(signal);
    }

    /** The next item, waiting at most {@code nanos}; null when none came. */
    Inbound poll(long nanos) throws InterruptedException {
        return taken(queue.poll(nanos, TimeUnit.NANOSECONDS));
    }

    /** The next item without waiting; null when there is none. */
    Inbound poll() {
        return taken(queue.poll());
    }

    private Inbound taken(Inbound item) {
        if (item != null && !(item instanceof Inbound.Signal)) {
            held.decrementAndGet();
        }
        return item;
    }
}
