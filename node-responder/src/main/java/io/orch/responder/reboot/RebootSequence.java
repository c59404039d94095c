package io.orch.responder.reboot;

import io.orch.protocol.Limits;
import io.orch.protocol.envelope.Event;
import io.orch.responder.event.EventSink;
import io.orch.responder.event.NodeEvents;
import io.orch.responder.executor.RebootException;
import io.orch.responder.executor.RebootExecutor;
import io.orch.responder.executor.RebootPlan;
import io.orch.responder.journal.Journal;
import io.orch.responder.journal.JournalEntry;
import io.orch.responder.pending.PendingState;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out a reboot the node has promised, in this order: journal (fsynced), wait for
 * config-management locks (bounded), publish {@code rebooting}, start the executor. Each step
 * that fails stops the reboot and says so with {@code reboot_failed}. One reboot at a time.
 * At the next start it settles the journal ({@link #settleAfterBoot}).
 */
public final class RebootSequence {
    private static final Logger log = LoggerFactory.getLogger(RebootSequence.class);

    /** The answer to a cancel request. */
    public record CancelResult(boolean cancelled, String message) {
        /** True when there was nothing (of that request) to cancel, as opposed to a cancel that failed. */
        public boolean nothingToCancel() {
            return !cancelled && message.startsWith("no reboot");
        }
    }

    private final Journal journal;
    private final LockWait locks;
    private final RebootExecutor executor;
    private final Executor rebootThread;
    private final EventSink sink;
    private final NodeEvents events;
    private final Clock clock;
    private final DueTimer timer;
    private Active active;
    /** Held while the executor runs the reboot or its cancel, so a cancel never overtakes the reboot command. */
    private final Object executing = new Object();

    private static final class Active {
        final RebootPlan plan;
        volatile boolean cancelled;
        volatile boolean executed;

        Active(RebootPlan plan) {
            this.plan = plan;
        }
    }

    /** Runs a task at an instant of the sequence's clock; the seam tests drive with a fake clock. */
    @FunctionalInterface
    public interface DueTimer {
        void at(Instant due, Runnable task);

        /** On one daemon thread, started on first use (most nodes never need it). */
        static DueTimer daemon(Clock clock) {
            return new DueTimer() {
                private ScheduledExecutorService thread;

                @Override
                public synchronized void at(Instant due, Runnable task) {
                    if (thread == null) {
                        thread = Executors.newSingleThreadScheduledExecutor(r -> {
                            Thread t = new Thread(r, "reboot-due");
                            t.setDaemon(true);
                            return t;
                        });
                    }
                    long ms = Math.max(0, Duration.between(clock.instant(), due).toMillis());
                    thread.schedule(task, ms, TimeUnit.MILLISECONDS);
                }
            };
        }
    }

    /**
     * @param sink   where {@code rebooting}, {@code reboot_failed} and {@code cancelled} go
     * @param events builds them
     * @param clock  stamps the journal
     */
    public RebootSequence(Journal journal, LockWait locks, RebootExecutor executor, Executor rebootThread,
                          EventSink sink, NodeEvents events, Clock clock) {
        this(journal, locks, executor, rebootThread, sink, events, clock, DueTimer.daemon(clock));
    }

    /** @param timer settles a reboot the OS was left to carry out once it is overdue */
    public RebootSequence(Journal journal, LockWait locks, RebootExecutor executor, Executor rebootThread,
                          EventSink sink, NodeEvents events, Clock clock, DueTimer timer) {
        this.timer = timer;
        this.journal = journal;
        this.locks = locks;
        this.executor = executor;
        this.rebootThread = rebootThread;
        this.sink = sink;
        this.events = events;
        this.clock = clock;
    }

    /** The request id of the reboot under way, or null. */
    public synchronized String underway() {
        return active == null || active.cancelled ? null : active.plan.requestId();
    }

    /** Starts the sequence on the reboot thread; called only once the scheduled reply is confirmed. */
    public void start(JournalEntry entry, RebootPlan plan) {
        Active run;
        synchronized (this) {
            if (underway() != null) {
                publishFailed(plan.requestId(), "another reboot is under way (request " + underway() + ")");
                return;
            }
            run = new Active(plan);
            active = run;
        }
        try {
            rebootThread.execute(() -> run(run, entry));
        } catch (RejectedExecutionException e) {
            finish(run);
            publishFailed(plan.requestId(), "reboot could not start: " + e);
        }
    }

    private void run(Active run, JournalEntry entry) {
        RebootPlan plan = run.plan;
        try {
            journal.record(entry);
        } catch (IOException e) {
            // Without the journal the node could not report the reboot afterwards: fail closed.
            finish(run);
            publishFailed(plan.requestId(), e.getMessage());
            return;
        }
        try {
            String lock = locks.await(() -> run.cancelled);
            if (run.cancelled) {
                clearJournal(); // the cancel may have come before the record above
                return;
            }
            if (lock != null) {
                clearJournal();
                finish(run);
                publishFailed(plan.requestId(), "config run still in progress: " + lock + " still present after "
                        + locks.maxWait().toSeconds() + "s; not rebooting");
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            clearJournal();
            finish(run);
            publishFailed(plan.requestId(), "interrupted while waiting for config runs");
            return;
        }
        if (run.cancelled) {
            clearJournal();
            return;
        }
        sink.publish(events.rebooting(entry));
        try {
            journal.record(entry.executed(clock.instant()));
        } catch (IOException e) {
            failed(run, e);
            return;
        }
        synchronized (executing) {
            // A cancel may have come while the event went out (a slow send): then the executor never runs.
            // From here on a cancel waits for the reboot command, so it has something to cancel.
            synchronized (this) {
                if (!run.cancelled) {
                    run.executed = true;
                }
            }
            if (!run.executed) {
                clearJournal(); // the record above may have come after the cancel cleared the journal
                return;
            }
            try {
                executor.reboot(plan);
            } catch (RebootException | RuntimeException e) {
                failed(run, e);
            }
        }
    }

    private void failed(Active run, Exception e) {
        log.error("reboot for request {} failed: {}", run.plan.requestId(), e.getMessage());
        clearJournal();
        finish(run);
        publishFailed(run.plan.requestId(), String.valueOf(e.getMessage()));
    }

    /** Stops the reboot under way if it is still waiting or in its delay. */
    CancelResult cancel(String requestId) {
        return cancelAny(requestId == null ? java.util.Set.of() : java.util.Set.of(requestId));
    }

    /** Cancels the reboot under way if it belongs to one of {@code requestIds} (any, when empty). */
    public CancelResult cancelAny(java.util.Set<String> requestIds) {
        Active run;
        synchronized (this) {
            run = active;
            if (run == null || run.cancelled) {
                return new CancelResult(false, "no reboot is scheduled on this node");
            }
            if (!requestIds.isEmpty() && !requestIds.contains(run.plan.requestId())) {
                String asked = requestIds.size() == 1 ? requestIds.iterator().next()
                        : requestIds.size() + " given requests";
                return new CancelResult(false, "no reboot scheduled for request " + asked
                        + " (the one under way is " + run.plan.requestId() + ")");
            }
            run.cancelled = true;
        }
        if (run.executed) {
            synchronized (executing) {
                synchronized (this) {
                    if (active != run) {
                        // The reboot command failed while this cancel waited for it: reboot_failed says so.
                        return new CancelResult(false, "no reboot is scheduled on this node");
                    }
                }
                try {
                    executor.cancel(run.plan);
                } catch (RebootException e) {
                    // Still under `executing`: whoever waits for it (the overdue check) sees the reboot under way again.
                    synchronized (this) {
                        run.cancelled = false;
                    }
                    return new CancelResult(false, "could not cancel: " + e.getMessage());
                }
            }
        }
        clearJournal();
        finish(run);
        log.warn("reboot for request {} cancelled", run.plan.requestId());
        sink.publish(events.cancelled(run.plan.requestId()));
        return new CancelResult(true, "reboot for request " + run.plan.requestId() + " cancelled");
    }

    /**
     * At start: what became of a reboot promised before it, if one was (see {@link AfterBoot}), and of
     * one this responder handed to the OS on this same boot before it was killed or restarted.
     *
     * <p>That last one may still be scheduled ({@code shutdown -r +N} outlives the process that ran it).
     * The node cancels it with the executor's cancel: a reboot is only ever started within the
     * lifetime of the request that asked for it and while the node can still be told to stop it, and a
     * crash in between breaks both; when unsure, a node does not reboot (fail closed). The cancel's
     * success makes {@code reboot_interrupted} true. If the cancel fails, the reboot will most likely
     * happen, so the node keeps the promise: it reports the reboot as under way ({@code status}; a new
     * reboot is refused; {@code orch cancel} tries the cancel again) and {@code rebooted} after boot.
     * If the node is still up once that reboot is overdue (its due time and {@link Limits#OS_REBOOT_GRACE}),
     * it tries the cancel once more and reports {@code reboot_interrupted}: the reboot did not come.
     * A promise whose time is long past on the same boot did not happen: {@code reboot_interrupted}.
     *
     * <p>Call before the node takes requests: the cancel may be slow, and a reboot promised meanwhile
     * would be settled with the old one.
     *
     * @param bootTime when this boot began; decides whether the machine booted since the handover when
     *                 the node has no boot id
     */
    public Optional<Event> settleAfterBoot(Instant bootTime, Supplier<PendingState> pendingNow) throws IOException {
        Optional<JournalEntry> promised = journal.pending();
        if (promised.isPresent() && promised.get().executedAt() != null
                && !AfterBoot.bootedSince(promised.get(), events.bootId(), bootTime)) {
            return settleHandedToOs(promised.get());
        }
        return AfterBoot.settle(journal, events, bootTime, pendingNow, clock);
    }


    private Optional<Event> settleHandedToOs(JournalEntry entry) throws IOException {
        RebootPlan plan = new RebootPlan(entry.requestId(), Duration.ofSeconds(Math.max(0, entry.delayS())), "",
                entry.reasons().stream().map(io.orch.protocol.payload.Reason::name).toList());
        try {
            synchronized (executing) {
                executor.cancel(plan);
            }
            journal.clear();
            log.warn("the responder restarted while the reboot for request {} was in its delay; the reboot is "
                    + "cancelled", entry.requestId());
            return Optional.of(events.rebootInterrupted(entry, clock.instant(), "the responder restarted while the "
                    + "reboot was in its delay; the reboot was cancelled and will not be retried by itself"));
        } catch (RebootException | RuntimeException e) {
            Instant due = overdueAt(entry);
            if (clock.instant().isAfter(due)) {
                journal.clear();
                log.warn("reboot for request {} was due by {} and did not happen on this boot", entry.requestId(), due);
                return Optional.of(events.rebootInterrupted(entry, clock.instant(), notCome(due)));
            }
            Active run = new Active(plan);
            run.executed = true;
            synchronized (this) {
                active = run;
            }
            timer.at(due, () -> overdue(run, entry, due));
            log.warn("the responder restarted while the reboot for request {} was in its delay and could not cancel "
                    + "it ({}); the promise is kept: the reboot is under way, due by {}", entry.requestId(),
                    e.getMessage(), due);
            return Optional.empty();
        }
    }

    /** When a reboot handed to the OS at {@code entry.executedAt()} is overdue. */
    private static Instant overdueAt(JournalEntry entry) {
        return entry.executedAt().plusSeconds((Math.max(0, entry.delayS()) + 59) / 60 * 60).plus(Limits.OS_REBOOT_GRACE);
    }

    private static String notCome(Instant due) {
        return "the reboot handed to the OS was due by " + due + " and did not happen; it will not be retried by itself";
    }

    /**
     * The kept promise's reboot is overdue and this node is still up: it did not come. Unless a cancel
     * settled it meanwhile, the node tries the cancel once more (a late OS reboot must not follow a
     * report that it did not happen) and reports {@code reboot_interrupted}.
     */
    private void overdue(Active run, JournalEntry entry, Instant due) {
        // Under `executing`: an `orch cancel` under way finishes first, and either settled it or left it under way.
        synchronized (executing) {
            synchronized (this) {
                if (active != run || run.cancelled) {
                    return;
                }
                run.cancelled = true; // from here a cancel finds nothing to cancel
            }
            try {
                executor.cancel(run.plan);
            } catch (RebootException | RuntimeException e) {
                log.info("overdue reboot for request {}: the cancel found nothing to cancel either ({})",
                        entry.requestId(), e.getMessage());
            }
            clearJournal();
            finish(run);
        }
        log.warn("reboot for request {} was due by {} and did not happen on this boot", entry.requestId(), due);
        sink.publish(events.rebootInterrupted(entry, clock.instant(), notCome(due)));
    }

    /**
     * Whether a reboot this node handed to the OS is under way, as the journal says: a stop now is most
     * likely the reboot going down, and the node is expected back. False when the journal cannot be read.
     */
    public boolean handedToOs() {
        try {
            var entry = journal.pending();
            return entry.isPresent() && entry.get().executedAt() != null;
        } catch (IOException e) {
            log.warn("could not read the journal: {}", e.getMessage());
            return false;
        }
    }

    /** The responder is being stopped: if that is the reboot going down, note when, for the downtime. */
    public void stopping() {
        try {
            var entry = journal.pending();
            if (entry.isPresent() && entry.get().executedAt() != null && entry.get().stoppedAt() == null) {
                journal.record(entry.get().stopped(clock.instant()));
            }
        } catch (IOException e) {
            log.warn("could not note the stop in the journal: {}", e.getMessage());
        }
    }

    private synchronized void finish(Active run) {
        if (active == run) {
            active = null;
        }
    }

    private void clearJournal() {
        try {
            journal.clear();
        } catch (IOException e) {
            log.warn("could not clear the journal: {}", e.getMessage());
        }
    }

    private void publishFailed(String requestId, String error) {
        log.error("reboot for request {} will not happen: {}", requestId, error);
        sink.publish(events.rebootFailed(requestId, error));
    }
}
