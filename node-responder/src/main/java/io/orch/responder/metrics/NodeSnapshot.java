package io.orch.responder.metrics;

import io.orch.protocol.payload.LoopGuardState;
import io.orch.responder.journal.LastReboot;
import io.orch.responder.pending.PendingState;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A node's state as its metrics show it, at one moment.
 *
 * @param pendingSince when the node was first seen needing a reboot, with no check in between that found it
 *                     clear; null when it is not pending
 * @param lastReboot   the last reboot orch made, or null for none (or an unreadable journal)
 * @param lastRequest  when this responder last admitted a request, or null for none since it started
 * @param factErrors   fact sources that failed, by path
 * @param at           when the state was read
 */
public record NodeSnapshot(String identity, PendingState pending, Instant pendingSince, LastReboot lastReboot,
                           LoopGuardState loopGuard, Instant lastRequest, Map<String, String> factErrors,
                           Instant at) {
    public NodeSnapshot {
        Objects.requireNonNull(identity, "identity == null");
        Objects.requireNonNull(pending, "pending == null");
        Objects.requireNonNull(loopGuard, "loopGuard == null");
        factErrors = Map.copyOf(factErrors);
        Objects.requireNonNull(at, "at == null");
    }
}
