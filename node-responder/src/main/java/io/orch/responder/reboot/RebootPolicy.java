package io.orch.responder.reboot;

import java.time.Duration;
import java.util.Objects;

/**
 * What a node allows beyond "reboot when pending".
 *
 * @param allowForce  accept {@code when: refreshed} (reboot with nothing pending, and past the loop guard)
 * @param minInterval least time between two reboots orch makes of this node
 */
public record RebootPolicy(boolean allowForce, Duration minInterval) {
    public RebootPolicy {
        Objects.requireNonNull(minInterval, "minInterval == null");
    }
}
