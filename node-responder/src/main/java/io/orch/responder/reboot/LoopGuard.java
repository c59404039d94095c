package io.orch.responder.reboot;

import io.orch.responder.journal.LastReboot;
import io.orch.responder.pending.PendingState;
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

    /** Why this reboot is refused, or null. */
    public static String refuse(LastReboot last, PendingState now, Instant at, Duration minInterval) {
        if (last == null) {
            return null;
        }
        if (last.loopSuspected() && sameReasons(last.reasonsBefore(), now.reasonMaps())) {
            return "loop_suspected: the same reasons (" + String.join(", ", now.reasonNames())
                    + ") were still pending after orch rebooted this node for request " + last.requestId() + " at "
                    + last.rebootedAt() + "; fix the cause, or force a reboot";
        }
        Duration since = Duration.between(last.rebootedAt(), at);
        if (since.compareTo(minInterval) < 0) {
            return "orch rebooted this node " + since.toSeconds() + "s ago (request " + last.requestId()
                    + "); reboot.min_interval_s is " + minInterval.toSeconds();
        }
        return null;
    }

    /** Same reason names with the same evidence; the human-readable detail may differ. */
    static boolean sameReasons(List<Map<String, Object>> before, List<Map<String, Object>> now) {
        if (before.size() != now.size()) {
            return false;
        }
        for (int i = 0; i < before.size(); i++) {
            Map<String, Object> a = before.get(i);
            Map<String, Object> b = now.get(i);
            if (!String.valueOf(a.get("name")).equals(String.valueOf(b.get("name")))
                    || !canonical(a.get("evidence")).equals(canonical(b.get("evidence")))) {
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
