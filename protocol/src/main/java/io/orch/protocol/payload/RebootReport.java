package io.orch.protocol.payload;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The reboot resource and what it decided, as {@code data.resource} of a reboot reply carries it
 * (always with {@code "type":"reboot"}).
 *
 * @param reasonNames all pending reason names, before {@code onlyif}/{@code unless}; full reasons are in
 *                    {@link RebootData#reasons()}
 * @param onlyif      sent only when not empty
 * @param unless      sent only when not empty
 * @param action      what the executor does, or null (always null for {@code not_pending})
 * @param effectiveDelaySeconds the delay the node's executor really applies once it starts the reboot
 *                    ({@code shutdown -r +N} counts whole minutes: 61 s requested is 120 s), or null when the
 *                    node did not say (a node before this field, or {@code not_pending}); a requester that
 *                    waits for the node to come back goes by this, not by {@code delaySeconds}
 */
public record RebootReport(RebootParams.When when, boolean noop, long delaySeconds, String message, boolean pending,
                           List<String> reasonNames, List<String> onlyif, List<String> unless, Outcome outcome,
                           String action, Long effectiveDelaySeconds) {
    public static final String TYPE = "reboot";

    public enum Outcome {
        SCHEDULED, WOULD_REBOOT, NOT_PENDING;

        public String wireName() {
            return Copies.wire(this);
        }

        public static Optional<Outcome> fromWire(String name) {
            return Copies.fromWire(Outcome.class, name);
        }
    }

    public RebootReport {
        Objects.requireNonNull(when, "when == null");
        Objects.requireNonNull(message, "message == null");
        reasonNames = Copies.list(reasonNames);
        onlyif = Copies.list(onlyif);
        unless = Copies.list(unless);
        Objects.requireNonNull(outcome, "outcome == null");
        if (effectiveDelaySeconds != null && effectiveDelaySeconds < 0) {
            throw new IllegalArgumentException("effectiveDelaySeconds must not be negative");
        }
    }

    /** Without the effective delay, as nodes before it answered. */
    public RebootReport(RebootParams.When when, boolean noop, long delaySeconds, String message, boolean pending,
                        List<String> reasonNames, List<String> onlyif, List<String> unless, Outcome outcome,
                        String action) {
        this(when, noop, delaySeconds, message, pending, reasonNames, onlyif, unless, outcome, action, null);
    }
}
