package io.orch.responder.journal;

import java.time.Instant;
import java.util.List;
import io.orch.protocol.payload.Reason;
import java.util.Objects;

/**
 * A reboot this node promised and has not yet seen through.
 *
 * @param bootId      the boot id before the reboot; a different one after start means it happened
 * @param reasons     the pending reasons (with evidence) that justified it
 * @param executedAt  when the executor was started, or null while waiting for config runs
 * @param stoppedAt   when the responder was stopped afterwards (the machine going down), or null
 */
public record JournalEntry(String requestId, String caller, String sender, String bootId,
                           List<Reason> reasons, long delayS, Instant scheduledAt,
                           Instant executedAt, Instant stoppedAt) {
    public JournalEntry {
        Objects.requireNonNull(requestId, "requestId == null");
        Objects.requireNonNull(bootId, "bootId == null");
        Objects.requireNonNull(scheduledAt, "scheduledAt == null");
        caller = caller == null ? "" : caller;
        sender = sender == null ? "" : sender;
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
    }

    public JournalEntry executed(Instant at) {
        return new JournalEntry(requestId, caller, sender, bootId, reasons, delayS, scheduledAt, at, stoppedAt);
    }

    public JournalEntry stopped(Instant at) {
        return new JournalEntry(requestId, caller, sender, bootId, reasons, delayS, scheduledAt, executedAt, at);
    }
}
