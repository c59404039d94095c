package io.orch.protocol.payload;

import java.time.Instant;
import java.util.Objects;

/**
 * The data of a {@code reboot_interrupted} event: a promised reboot whose boot id did not change.
 *
 * @param executedAt when the executor was started, or null if it never was
 */
public record RebootInterruptedData(Instant scheduledAt, Instant executedAt, String message) implements EventData {
    public RebootInterruptedData {
        Objects.requireNonNull(scheduledAt, "scheduledAt == null");
        Objects.requireNonNull(message, "message == null");
    }
}
