package io.orch.playground.lab;

import io.orch.protocol.Limits;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Writes the lab's queued audit lines once the nodes are idle. On a fleet each node writes its audit line on
 * its own CPU after its reply; the lab's thousands of nodes share two cores with the broker and the CLI, so
 * a writer that wrote during a broadcast would slow every other node's reply, which no real fleet does. The
 * lines wait until no new one arrived for {@link Limits#LAB_AUDIT_IDLE_MS}, or until the oldest waited
 * {@link Limits#LAB_AUDIT_MAX_DELAY_MS} (a lab that is never idle still writes), and at most
 * {@link Limits#LAB_AUDIT_QUEUE_LINES} wait: past that {@link #execute} refuses and the node writes its own.
 * {@link #close} writes every line still waiting, at once. A node's lines of requests with an action to
 * follow never come here (it writes them itself, before the action), so in a lab node's audit file such a line
 * can come before the line of the discovery just ahead of it; each line carries its time.
 */
final class IdleAuditWriter implements Executor, AutoCloseable {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(IdleAuditWriter.class);

    private record Line(Runnable write, long queuedAt) {
    }

    private final Object lock = new Object();
    private final ArrayDeque<Line> lines = new ArrayDeque<>();
    private final LongSupplier nanoTime;
    private final long idleNanos;
    private final long maxDelayNanos;
    private final int capacity;
    private final Thread thread;
    private long lastQueued;
    private boolean closing;

    IdleAuditWriter() {
        this(System::nanoTime, Limits.LAB_AUDIT_IDLE_MS, Limits.LAB_AUDIT_MAX_DELAY_MS, Limits.LAB_AUDIT_QUEUE_LINES);
    }

    IdleAuditWriter(LongSupplier nanoTime, long idleMs, long maxDelayMs, int capacity) {
        this.nanoTime = nanoTime;
        this.idleNanos = TimeUnit.MILLISECONDS.toNanos(idleMs);
        this.maxDelayNanos = TimeUnit.MILLISECONDS.toNanos(maxDelayMs);
        this.capacity = capacity;
        this.thread = new Thread(this::writeWhenIdle, "lab-audit");
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues one line's write; refuses (the caller writes it itself) when full or closing. */
    @Override
    public void execute(Runnable write) {
        synchronized (lock) {
            if (closing || lines.size() >= capacity || !thread.isAlive()) {
                throw new RejectedExecutionException(closing ? "the lab is stopping"
                        : lines.size() >= capacity ? "the audit queue is full" : "the audit writer is gone");
            }
            lastQueued = nanoTime.getAsLong();
            lines.add(new Line(write, lastQueued));
            if (lines.size() == 1) {
                lock.notifyAll();
            }
        }
    }

    /** How many lines wait. */
    int waiting() {
        synchronized (lock) {
            return lines.size();
        }
    }

    private void writeWhenIdle() {
        while (true) {
            Line next;
            synchronized (lock) {
                while (true) {
                    Line head = lines.peek();
                    if (head == null) {
                        if (closing) {
                            return;
                        }
                        await(0);
                        continue;
                    }
                    long now = nanoTime.getAsLong();
                    long idleLeft = idleNanos - (now - lastQueued);
                    long ageLeft = maxDelayNanos - (now - head.queuedAt());
                    if (closing || idleLeft <= 0 || ageLeft <= 0) {
                        next = lines.poll();
                        break;
                    }
                    await(Math.min(idleLeft, ageLeft));
                }
            }
            try {
                next.write().run();
            } catch (Throwable e) {
                // One bad line never stops the others; each write logs its own failure, so this is the rare rest
                // (an Error): this thread must live on, or lines would be taken and never written.
                log.error("could not write a lab audit line", e);
            }
        }
    }

    private void await(long nanos) {
        try {
            if (nanos <= 0) {
                lock.wait();
            } else {
                TimeUnit.NANOSECONDS.timedWait(lock, nanos);
            }
        } catch (InterruptedException e) {
            closing = true; // nothing here interrupts it; whoever does wants it gone: write what is left and stop
        }
    }

    /** Writes every waiting line now and stops, waiting at most {@code timeout} for the writes. */
    void close(long timeout, TimeUnit unit) throws InterruptedException {
        synchronized (lock) {
            closing = true;
            lock.notifyAll();
        }
        thread.join(Math.max(1, unit.toMillis(timeout)));
    }

    @Override
    public void close() {
        try {
            close(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
