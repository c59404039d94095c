package io.orch.protocol.payload;

import java.time.Instant;
import java.util.Objects;

/** The data of a {@code started} event. */
public record StartedData(Instant bootTime) implements EventData {
    public StartedData {
        Objects.requireNonNull(bootTime, "bootTime == null");
    }
}
