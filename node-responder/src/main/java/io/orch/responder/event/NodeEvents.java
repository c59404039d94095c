package io.orch.responder.event;

import io.orch.protocol.envelope.Event;
import io.orch.protocol.envelope.EventType;
import io.orch.responder.executor.RebootPlan;
import io.orch.responder.journal.JournalEntry;
import io.orch.responder.pending.PendingState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
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
    public Event started(Object bootTime) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("boot_time", bootTime);
        return event(EventType.STARTED, null, clock.instant(), data);
    }

    /** A promised reboot goes to the executor now. */
    public Event rebooting(RebootPlan plan) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("delay_s", plan.delay().toSeconds());
        data.put("reasons", plan.reasons());
        return event(EventType.REBOOTING, plan.requestId(), clock.instant(), data);
    }

    /** A reboot the requester was promised will not happen, and why. */
    public Event rebootFailed(String requestId, String error) {
        return event(EventType.REBOOT_FAILED, requestId, clock.instant(), Map.of("error", error));
    }

    /** A reboot in its delay was stopped. */
    public Event cancelled(String requestId) {
        return event(EventType.CANCELLED, requestId, clock.instant(), Map.of());
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
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("old_boot_id", promised.bootId());
        data.put("new_boot_id", bootId);
        Instant down = promised.stoppedAt() != null ? promised.stoppedAt() : promised.executedAt();
        data.put("downtime_s", down == null ? null : Duration.between(down, now).toMillis() / 1000.0);
        data.put("boot_time", bootTime.toString());
        data.put("pending", pendingNow.pending());
        data.put("reasons", pendingNow.reasonNames());
        data.put("loop_suspected", loopSuspected);
        return event(EventType.REBOOTED, promised.requestId(), now, data);
    }

    /** The responder started again without the machine having rebooted: the promise is dropped. */
    public Event rebootInterrupted(JournalEntry promised, Instant now) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("scheduled_at", promised.scheduledAt().toString());
        data.put("executed_at", promised.executedAt() == null ? null : promised.executedAt().toString());
        data.put("message", "the responder restarted without a reboot; the reboot will not be retried by itself");
        return event(EventType.REBOOT_INTERRUPTED, promised.requestId(), now, data);
    }

    private Event event(EventType type, String requestId, Instant time, Map<String, Object> data) {
        return new Event(type, identity, bootId, requestId, time, data);
    }
}
