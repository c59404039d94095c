package io.orch.protocol.payload;

import java.time.Instant;

/**
 * A node's maintenance windows as its policy has them, in a {@code status} reply.
 *
 * @param windows the windows as text (e.g. {@code Sat,Sun 02:00+4h Europe/Berlin}); empty when reboots may come any time
 * @param open    whether a reboot is allowed by the windows now
 * @param next    when that changes next (the next opening or closing), or null when never
 * @param summary one line for people, e.g. {@code closed; opens Sat 02:00 Europe/Berlin (in 3h)}
 */
public record Maintenance(String windows, boolean open, Instant next, String summary) {
    public Maintenance {
        windows = windows == null ? "" : windows;
        summary = summary == null ? "" : summary;
    }
}
