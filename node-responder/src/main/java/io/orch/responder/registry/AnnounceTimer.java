package io.orch.responder.registry;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Runs an announcement later, never on the caller's thread: the seam tests drive by hand. */
@FunctionalInterface
public interface AnnounceTimer {
    /** Runs {@code task} after {@code delay} (zero: as soon as possible); the future cancels it. */
    Future<?> after(Duration delay, Runnable task);

    /** On {@code scheduler}'s threads (a daemon's own thread, or the lab's shared pool). */
    static AnnounceTimer of(ScheduledExecutorService scheduler) {
        Objects.requireNonNull(scheduler, "scheduler == null");
        return (delay, task) -> scheduler.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
    }
}
