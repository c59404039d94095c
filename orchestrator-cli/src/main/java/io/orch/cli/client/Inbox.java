package io.orch.cli.client;

import io.orch.protocol.Limits;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where a JMS listener leaves what arrived for the run to take: bounded by count and by bytes, and
 * never blocking the listener. A message that finds it full is dropped and counted ({@link #dropped}),
 * since a blocked listener would stall every session of the connection and an unbounded queue would
 * let a flood take the CLI's memory. Signals (stop, broker lost) always get in: there are only ever a few.
 */
final class Inbox {
    /** An item and the bytes it was counted as. */
    private record Held(Inbound item, long bytes) {
    }

    private final LinkedBlockingQueue<Held> queue = new LinkedBlockingQueue<>();
    private final int capacity;
    private final long byteCapacity;
    /** Messages (not signals) in the queue, and their bytes; changed together under this lock. */
    private final Object room = new Object();
    private int held;
    private long heldBytes;
    private final AtomicLong dropped;

    /**
     * @param dropped where drops are counted: shared by every inbox of one client, so the run reports one number
     */
    Inbox(int capacity, long byteCapacity, AtomicLong dropped) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        if (byteCapacity < 1) {
            throw new IllegalArgumentException("byte capacity must be at least 1, got " + byteCapacity);
        }
        this.capacity = capacity;
        this.byteCapacity = byteCapacity;
        this.dropped = dropped;
    }

    /** An inbox of {@link Limits#MAX_CLI_INBOX_MESSAGES} and {@link Limits#MAX_CLI_INBOX_BYTES}. */
    Inbox(AtomicLong dropped) {
        this(Limits.MAX_CLI_INBOX_MESSAGES, Limits.MAX_CLI_INBOX_BYTES, dropped);
    }

    /**
     * @param bytes what {@code message} is counted as against the byte bound: the size of the body it came in
     * @return false when the inbox was full and {@code message} was dropped (and counted)
     */
    boolean offer(Inbound message, long bytes) {
        if (message instanceof Inbound.Signal signal) {
            signal(signal);
            return true;
        }
        long counted = Math.max(0, bytes);
        synchronized (room) {
            if (held >= capacity || counted > byteCapacity - heldBytes) {
                dropped.incrementAndGet();
                return false;
            }
            held++;
            heldBytes += counted;
        }
        queue.add(new Held(message, counted));
        return true;
    }

    void signal(Inbound.Signal signal) {
        queue.add(new Held(signal, 0));
    }

    /** The next item, waiting at most {@code nanos}; null when none came. */
    Inbound poll(long nanos) throws InterruptedException {
        return taken(queue.poll(nanos, TimeUnit.NANOSECONDS));
    }

    /** The next item without waiting; null when there is none. */
    Inbound poll() {
        return taken(queue.poll());
    }

    private Inbound taken(Held entry) {
        if (entry == null) {
            return null;
        }
        if (!(entry.item() instanceof Inbound.Signal)) {
            synchronized (room) {
                held--;
                heldBytes -= entry.bytes();
            }
        }
        return entry.item();
    }
}
