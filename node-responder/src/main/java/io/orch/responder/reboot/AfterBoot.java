package io.orch.responder.reboot;

import io.orch.protocol.envelope.Event;
import io.orch.protocol.envelope.EventType;
import io.orch.responder.journal.Journal;
import io.orch.responder.journal.JournalEntry;
import io.orch.responder.journal.LastReboot;
import io.orch.responder.pending.PendingState;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * At start, settles the journal: a promised reboot whose boot id changed happened
 * ({@code rebooted}); one whose boot id did not change was interrupted by a crash or a stop
 * before the machine went down ({@code reboot_interrupted}), and is never carried out by itself.
 */
public final class AfterBoot {
    private AfterBoot() {
    }

    /** The event to publish, if the journal held a promise. */
    public static Optional<Event> settle(Journal journal, String identity, String bootId, Instant bootTime,
                                         Supplier<PendingState> pendingNow, Clock clock) throws IOException {
        Optional<JournalEntry> promised = journal.pending();
        if (promised.isEmpty()) {
            return Optional.empty();
        }
        JournalEntry entry = promised.get();
        Instant now = clock.instant();
        Map<String, Object> data = new LinkedHashMap<>();
        Event event;
        if (!entry.bootId().isEmpty() && !entry.bootId().equals(bootId)) {
            PendingState state = pendingNow.get();
            boolean loop = state.pending() && LoopGuard.sameReasons(entry.reasons(), state.reasonMaps());
            data.put("old_boot_id", entry.bootId());
            data.put("new_boot_id", bootId);
            Instant down = entry.stoppedAt() != null ? entry.stoppedAt() : entry.executedAt();
            data.put("downtime_s", down == null ? null : Duration.between(down, now).toMillis() / 1000.0);
            data.put("boot_time", bootTime.toString());
            data.put("pending", state.pending());
            data.put("reasons", state.reasonNames());
            data.put("loop_suspected", loop);
            event = new Event(EventType.REBOOTED, identity, bootId, entry.requestId(), now, data);
            journal.recordLast(new LastReboot(entry.requestId(), now, entry.reasons(), loop, entry.bootId(), bootId,
                    state.reasonNames()));
        } else {
            data.put("scheduled_at", entry.scheduledAt().toString());
            data.put("executed_at", entry.executedAt() == null ? null : entry.executedAt().toString());
            data.put("message", "the responder restarted without a reboot; the reboot will not be retried by itself");
            event = new Event(EventType.REBOOT_INTERRUPTED, identity, bootId, entry.requestId(), now, data);
        }
        journal.clear();
        return Optional.of(event);
    }
}
