package io.orch.responder.reboot;

import io.orch.responder.journal.LastReboot;
import io.orch.responder.pending.PendingState;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Refuses reboots that cannot help: the same reasons were still pending right after the last
 * reboot orch made (a package that keeps asking, a kernel that never boots), or the last
 * reboot was too recent. New reasons, or a forced reboot, get past it.
 */
public final class LoopGuard {
    private LoopGuard() {
    }

    /** What the guard says, as it appears in {@code loop_guard.state} of a status reply. */
    public enum State {
        /** Nothing stands in the way of a pending-reboot. */
        CLEAR,
        /** The same reasons were still pending right after the last reboot orch made. */
        LOOP_SUSPECTED,
        /** The last reboot orch made is more recent than {@code reboot.min_interval_s}. */
        MIN_INTERVAL,
        /** The journal could not be read, so the guard cannot be checked: it refuses (fail closed). */
        UNKNOWN;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The guard's answer.
     *
     * @param message why a pending-reboot is refused; null exactly when {@code state} is {@link State#CLEAR}
     */
    public record Verdict(State state, String message) {
        static final Verdict CLEAR = new Verdict(State.CLEAR, null);

        public Verdict {
            Objects.requireNonNull(state, "state == null");
            if ((state == State.CLEAR) != (message == null)) {
                throw new IllegalArgumentException("state " + state + " with message " + message);
            }
        }

        public boolean refuses() {
            return state != State.CLEAR;
        }
    }

    /** Whether a pending-reboot is refused now, and why. */
    public static Verdict check(LastReboot last, PendingState now, Instant at, Duration minInterval) {
        if (last == null) {
            return Verdict.CLEAR;
        }
        if (last.loopSuspected() && sameReasons(last.reasonsBefore(), now.reasonMaps())) {
            return new Verdict(State.LOOP_SUSPECTED, "loop_suspected: the same reasons ("
                    + String.join(", ", now.reasonNames()) + ") were still pending after orch rebooted this node for "
                    + "request " + last.requestId() + " at " + last.rebootedAt() + "; fix the cause, or force a reboot");
        }
        Duration since = Duration.between(last.rebootedAt(), at);
        if (since.compareTo(minInterval) < 0) {
            return new Verdict(State.MIN_INTERVAL, "orch rebooted this node " + since.toSeconds() + "s ago (request "
                    + last.requestId() + "); reboot.min_interval_s is " + minInterval.toSeconds());
        }
        return Verdict.CLEAR;
    }

    /** The verdict when the journal holding the last reboot cannot be read: refused, never waved through. */
    public static Verdict unreadable(IOException e) {
        return new Verdict(State.UNKNOWN, "cannot read the reboot journal, so the loop guard cannot be checked: "
                + e.getMessage());
    }

    /** Why this reboot is refused, or null: {@link #check}'s message. */
    static String refuse(LastReboot last, PendingState now, Instant at, Duration minInterval) {
        return check(last, now, at, minInterval).message();
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
