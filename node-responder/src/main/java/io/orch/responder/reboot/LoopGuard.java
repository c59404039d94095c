package io.orch.responder.reboot;

import io.orch.protocol.payload.LoopGuardState;
import io.orch.protocol.payload.LoopGuardState.State;
import io.orch.protocol.payload.Reason;
import io.orch.responder.journal.LastReboot;
import io.orch.responder.pending.PendingState;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Refuses reboots that cannot help: the same reasons were still pending right after the last
 * reboot orch made (a package that keeps asking, a kernel that never boots), or the last
 * reboot was too recent. New reasons, or a forced reboot, get past it.
 */
public final class LoopGuard {
    private LoopGuard() {
    }

    /** Whether a pending-reboot is refused now, and why. */
    public static LoopGuardState check(LastReboot last, PendingState now, Instant at, Duration minInterval) {
        if (last == null) {
            return LoopGuardState.CLEAR;
        }
        if (last.loopSuspected() && sameReasons(last.reasonsBefore(), now.reasons())) {
            return new LoopGuardState(State.LOOP_SUSPECTED, "loop_suspected: the same reasons ("
                    + String.join(", ", now.reasonNames()) + ") were still pending after orch rebooted this node for "
                    + "request " + last.requestId() + " at " + last.rebootedAt() + "; fix the cause, or force a reboot");
        }
        Duration since = Duration.between(last.rebootedAt(), at);
        if (since.compareTo(minInterval) < 0) {
            return new LoopGuardState(State.MIN_INTERVAL, "orch rebooted this node " + since.toSeconds() + "s ago (request "
                    + last.requestId() + "); reboot.min_interval_s is " + minInterval.toSeconds());
        }
        return LoopGuardState.CLEAR;
    }

    /** The verdict when the journal holding the last reboot cannot be read: refused, never waved through. */
    public static LoopGuardState unreadable(IOException e) {
        return new LoopGuardState(State.UNKNOWN, "cannot read the reboot journal, so the loop guard cannot be checked: "
                + e.getMessage());
    }

    /** Same reason names with the same evidence; the human-readable detail may differ. */
    static boolean sameReasons(List<Reason> before, List<Reason> now) {
        if (before.size() != now.size()) {
            return false;
        }
        for (int i = 0; i < before.size(); i++) {
            Reason a = before.get(i);
            Reason b = now.get(i);
            if (!a.name().equals(b.name()) || !canonical(a.evidence()).equals(canonical(b.evidence()))) {
                return false;
            }
        }
        return true;
    }

    /** Key order and number types do not survive a trip through the journal's JSON; the text of sorted keys does. */
    private static String canonical(Object evidence) {
        return evidence instanceof Map<?, ?> map
                ? new java.util.TreeMap<>(map.entrySet().stream().collect(java.util.stream.Collectors.toMap(
                        e -> String.valueOf(e.getKey()), e -> String.valueOf(e.getValue())))).toString()
                : String.valueOf(evidence);
    }
}
