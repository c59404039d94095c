package io.orch.responder.policy;

import java.time.Instant;
import java.util.Objects;

/**
 * The maintenance windows of a node at one instant, for {@code orch status} and logs.
 *
 * @param windows the windows as text, e.g. {@code Sat,Sun 02:00+4h Europe/Berlin}; {@code none} when
 *                there are none
 * @param open    whether the windows let a reboot happen now: true inside a window and when there are no
 *                windows; false outside every window and when the policy file is invalid
 * @param next    when {@code open} changes next: the closing instant while open, the next opening while
 *                closed; null when there are no windows (reboots any time), when the windows together stay
 *                open for more than a week from now, and when the policy file is invalid
 * @param summary one line for people, e.g. {@code closed, opens Sat 02:00 Europe/Berlin, in 3h}
 */
public record MaintenanceStatus(String windows, boolean open, Instant next, String summary) {

    public MaintenanceStatus {
        Objects.requireNonNull(windows, "windows == null");
        Objects.requireNonNull(summary, "summary == null");
    }
}
