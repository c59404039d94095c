package io.orch.protocol.payload;

import java.util.Objects;

/** The data of a {@code reboot_failed} event: why a promised reboot will not happen. */
public record RebootFailedData(String error) implements EventData {
    public RebootFailedData {
        Objects.requireNonNull(error, "error == null");
    }
}
