package io.orch.responder.reboot;

import io.orch.protocol.envelope.Event;
import io.orch.responder.event.NodeEvents;
import io.orch.responder.journal.Journal;
import io.orch.responder.journal.JournalEntry;
import io.orch.responder.journal.LastReboot;
import io.orch.responder.pending.PendingState;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * At start, settles the journal: a promised reboot whose boot id changed happened
 * ({@code rebooted}); one whose boot id did not change was interrupted by a crash or a stop
 * before the machine went down ({@code reboot_interrupted}), and is never carried out by itself.
 * Where a boot id is unknown (empty), the boot time says whether the machine booted since.
 */
final class AfterBoot {
    private AfterBoot() {
    }

    /** The event to publish, if the journal held a promise; {@code events} knows this start's boot id. */
    static Optional<Event> settle(Journal journal, NodeEvents events, Instant bootTime,
                                  Supplier<PendingState> pendingNow, Clock clock) throws IOException {
        Optional<JournalEntry> promised = journal.pending();
        if (promised.isEmpty()) {
            return Optional.empty();
        }
        JournalEntry entry = promised.get();
        Instant now = clock.instant();
        String bootId = events.bootId();
        Event event;
        if (bootedSince(entry, bootId, bootTime)) {
            PendingState state = pendingNow.get();
            boolean loop = state.pending() && LoopGuard.sameReasons(entry.reasons(), state.reasons());
            event = events.rebooted(entry, now, bootTime, state, loop);
            journal.recordLast(new LastReboot(entry.requestId(), now, entry.reasons(), loop, entry.bootId(), bootId,
                    state.reasonNames()));
        } else {
            event = events.rebootInterrupted(entry, now);
        }
        journal.clear();
        return Optional.of(event);
    }

    /**
     * Whether the machine booted after {@code entry} was promised (after its handover to the OS, if it
     * got that far). The kernel's boot ids decide when both are known; else the boot time does, since
     * an empty boot id equals the empty one of the next boot.
     *
     * @param bootId   this boot's id, empty when unknown
     * @param bootTime when this boot began
     */
    static boolean bootedSince(JournalEntry entry, String bootId, Instant bootTime) {
        if (!entry.bootId().isEmpty() && !bootId.isEmpty()) {
            return !entry.bootId().equals(bootId);
        }
        Instant since = entry.executedAt() != null ? entry.executedAt() : entry.scheduledAt();
        return bootTime.isAfter(since);
    }
}
