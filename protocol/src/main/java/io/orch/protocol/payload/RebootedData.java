package io.orch.protocol.payload;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The data of a {@code rebooted} event, published at the first start after a reboot orch made.
 *
 * @param downtime      from the responder stopping (or the executor starting) to this start, in milliseconds;
 *                      null if unknown; negative when the clock was set back at boot
 * @param pending       a reboot is still pending right after boot
 * @param reasons       the reasons still pending right after boot
 * @param loopSuspected the same reasons, with the same evidence, as before the reboot
 */
public record RebootedData(String oldBootId, String newBootId, Duration downtime, Instant bootTime, boolean pending,
                           List<Reason> reasons, boolean loopSuspected) implements EventData {
    public RebootedData {
        Objects.requireNonNull(oldBootId, "oldBootId == null");
        Objects.requireNonNull(newBootId, "newBootId == null");
        Objects.requireNonNull(bootTime, "bootTime == null");
        reasons = Copies.list(reasons);
    }

    public List<String> reasonNames() {
        return Reason.names(reasons);
    }
}
