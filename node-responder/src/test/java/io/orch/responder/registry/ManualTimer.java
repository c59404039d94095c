package io.orch.responder.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * The announcement timer's test double: it only queues what it is given, and the test runs it with
 * {@link #runNext()}, on the test's thread, as the real timer would on its own.
 */
public final class ManualTimer implements AnnounceTimer {
    /** One queued task: its delay, and whether it was cancelled before it ran. */
    public record Task(Duration delay, Runnable body, CompletableFuture<Void> handle) {
        public boolean cancelled() {
            return handle.isCancelled();
        }
    }

    private final List<Task> queued = new ArrayList<>();

    @Override
    public synchronized Future<?> after(Duration delay, Runnable task) {
        Task t = new Task(delay, task, new CompletableFuture<>());
        queued.add(t);
        return t.handle();
    }

    /** What is queued and neither run nor cancelled, in the order it came. */
    public synchronized List<Task> waiting() {
        return queued.stream().filter(t -> !t.cancelled()).toList();
    }

    /** Every task ever queued, run, cancelled or waiting. */
    public synchronized List<Task> all() {
        return List.copyOf(queued);
    }

    /** Runs the first waiting task (as if its delay had passed); fails when there is none. */
    public Task runNext() {
        Task next;
        synchronized (this) {
            next = queued.stream().filter(t -> !t.cancelled()).findFirst()
                    .orElseThrow(() -> new AssertionError("no announcement task is waiting"));
            queued.remove(next);
        }
        next.body().run();
        next.handle().complete(null);
        return next;
    }
}
