package io.orch.protocol.payload;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The last reboot orch made on a node, as {@code data.last_reboot} of a status reply carries it.
 *
 * @param rebootedAt    when the node was back from it (the responder's first start after it)
 * @param oldBootId     the boot id before it, or null when an older responder recorded it
 * @param newBootId     the boot id after it, or null when an older responder recorded it
 * @param reasonsBefore the reasons that justified it
 * @param pendingAfter  names of the reasons still pending right after boot, or null when not recorded
 * @param loopSuspected the same reasons, with the same evidence, were still pending right after boot
 */
public record LastReboot(String requestId, Instant rebootedAt, String oldBootId, String newBootId,
                         List<Reason> reasonsBefore, List<String> pendingAfter, boolean loopSuspected) {
    public LastReboot {
        Objects.requireNonNull(requestId, "requestId == null");
        Objects.requireNonNull(rebootedAt, "rebootedAt == null");
        reasonsBefore = Copies.list(reasonsBefore);
        pendingAfter = Copies.nullableList(pendingAfter);
    }
}
