package io.orch.responder.executor;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** A reboot the node has promised: who asked, after how long, with which message, for which reasons. */
public record RebootPlan(String requestId, Duration delay, String message, List<String> reasons) {
    public RebootPlan {
        Objects.requireNonNull(requestId, "requestId == null");
        Objects.requireNonNull(delay, "delay == null");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative");
        }
        message = message == null ? "" : message;
        reasons = List.copyOf(reasons);
    }

    /** Whole minutes for {@code shutdown -r +N}, rounded up so a reboot never comes early. */
    long delayMinutes() {
        return (delay.toSeconds() + 59) / 60;
    }
}
