package io.orch.responder.metrics;

import io.orch.protocol.payload.LoopGuardState;
import io.orch.responder.facts.NodeFacts;
import io.orch.responder.journal.Journal;
import io.orch.responder.journal.LastReboot;
import io.orch.responder.node.Responder;
import io.orch.responder.pending.PendingState;
import io.orch.responder.reboot.LoopGuard;
import io.orch.responder.state.StateFolder;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Reads a node's state for its metrics from the parts that answer {@code status}: the facts and pending
 * detectors, the reboot journal and the loop guard; the last request from the responder, once attached.
 */
public final class NodeMetrics {
    private final NodeFacts facts;
    private final Journal journal;
    private final Duration minInterval;
    private final PendingSince since;
    private final Clock clock;
    /** The responder, once it exists: it knows the last request; null before (the node is not on the bus yet). */
    private volatile Responder responder;

    /**
     * @param folder      the node's state folder, where the time it became pending is kept
     * @param minInterval {@code reboot.min_interval_s}, for the loop guard's verdict
     */
    public NodeMetrics(NodeFacts facts, Journal journal, Duration minInterval, StateFolder folder, Clock clock) {
        this.facts = Objects.requireNonNull(facts, "facts == null");
        this.journal = Objects.requireNonNull(journal, "journal == null");
        this.minInterval = Objects.requireNonNull(minInterval, "minInterval == null");
        this.since = new PendingSince(Objects.requireNonNull(folder, "folder == null"));
        this.clock = Objects.requireNonNull(clock, "clock == null");
    }

    /** From now on the metrics say when {@code responder} last admitted a request. */
    public void attach(Responder responder) {
        this.responder = responder;
    }

    /** Runs the pending detectors and reads the journal: the state as {@code status} would report it now. */
    public NodeSnapshot snapshot() {
        NodeFacts.RequestFacts view = facts.forRequest();
        PendingState pending = view.pending();
        Instant now = clock.instant();
        LastReboot last = null;
        LoopGuardState guard;
        try {
            last = journal.last().orElse(null);
            guard = LoopGuard.check(last, pending, now, minInterval);
        } catch (IOException e) {
            guard = LoopGuard.unreadable(e);
        }
        Responder r = responder;
        return new NodeSnapshot(facts.identity(), pending, since.update(pending, now), last, guard,
                r == null ? null : r.lastAdmitted(), view.factErrors(), now);
    }
}
