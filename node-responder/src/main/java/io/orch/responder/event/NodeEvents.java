package io.orch.responder.event;

import io.orch.protocol.envelope.Event;
import io.orch.protocol.envelope.EventType;
import io.orch.protocol.payload.EventData;
import io.orch.protocol.payload.NoData;
import io.orch.protocol.payload.RebootFailedData;
import io.orch.protocol.payload.RebootInterruptedData;
import io.orch.protocol.payload.RebootedData;
import io.orch.protocol.payload.RebootingData;
import io.orch.protocol.payload.StartedData;
import io.orch.responder.journal.JournalEntry;
import io.orch.responder.pending.PendingState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Builds every event one node publishes, stamped with its identity, its boot id and the time
 * now. Each event's {@code data} is spelled here and nowhere else.
 */
public final class NodeEvents {
    private final String identity;
    private final String bootId;
    private final Clock clock;

    public NodeEvents(String identity, String bootId, Clock clock) {
        this.identity = Objects.requireNonNull(identity, "identity == null");
        this.bootId = bootId;
        this.clock = Objects.requireNonNull(clock, "clock == null");
    }

    /** The boot id every event carries: this start's. */
    public String bootId() {
        return bootId;
    }

    /** The responder is subscribed. */
    public Event started(Instant bootTime) {
        return event(EventType.STARTED, null, clock.instant(), new StartedData(bootTime));
    }

    /** A promised reboot goes to the executor now. */
    public Event rebooting(JournalEntry promised) {
        return event(EventType.REBOOTING, promised.requestId(), clock.instant(),
                new RebootingData(promised.delayS(), promised.reasons()));
    }

    /** A reboot the requester was promised will not happen, and why. */
    public Event rebootFailed(String requestId, String error) {
        return event(EventType.REBOOT_FAILED, requestId, clock.instant(), new RebootFailedData(error));
    }

    /** A reboot in its delay was stopped. */
    public Event cancelled(String requestId) {
        return event(EventType.CANCELLED, requestId, clock.instant(), NoData.INSTANCE);
    }

    /**
     * The promised reboot happened: this start has a new boot id.
     *
     * @param now           when the journal was settled; the downtime runs up to it
     * @param pendingNow    what is pending right after the boot
     * @param loopSuspected whether the same reasons are still pending
     */
    public Event rebooted(JournalEntry promised, Instant now, Instant bootTime, PendingState pendingNow,
                          boolean loopSuspected) {
        Instant down = promised.stoppedAt() != null ? promised.stoppedAt() : promised.executedAt();
        return event(EventType.REBOOTED, promised.requestId(), now, new RebootedData(promised.bootId(), bootId,
                down == null ? null : Duration.between(down, now), bootTime, pendingNow.pending(),
                pendingNow.reasons(), loopSuspected));
    }

    /** The responder started again without the machine having rebooted: the promise is dropped. */
    public Event rebootInterrupted(JournalEntry promised, Instant now) {
        return rebootInterrupted(promised, now,
                "the responder restarted without a reboot; the reboot will not be retried by itself");
    }

    /** As {@link #rebootInterrupted(JournalEntry, Instant)}, saying what became of it. */
    public Event rebootInterrupted(JournalEntry promised, Instant now, String message) {
        return event(EventType.REBOOT_INTERRUPTED, promised.requestId(), now, new RebootInterruptedData(
                promised.scheduledAt(), promised.executedAt(), message));
    }

    private Event event(EventType type, String requestId, Instant time, EventData data) {
        return new Event(type, identity, bootId, requestId, time, data);
    }
}
