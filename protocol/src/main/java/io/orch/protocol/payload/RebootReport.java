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
 */
public record RebootReport(RebootParams.When when, boolean noop, long delaySeconds, String message, boolean pending,
                           List<String> reasonNames, List<String> onlyif, List<String> unless, Outcome outcome,
                           String action) {
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
    }
}
