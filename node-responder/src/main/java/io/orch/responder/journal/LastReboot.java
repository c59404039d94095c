package io.orch.responder.journal;

import java.time.Instant;
import java.util.List;
import io.orch.protocol.payload.Reason;
import java.util.Objects;

/**
 * The last reboot orch made on this node, for the loop guard and for {@code status}.
 *
 * @param rebootedAt     when the node was back from it (the responder's first start after it)
 * @param reasonsBefore  the reasons (with evidence) that justified it
 * @param loopSuspected  the same reasons were still pending right after boot
 * @param oldBootId      the boot id before it, or null when not recorded (journals written before it was)
 * @param newBootId      the boot id after it, or null when not recorded
 * @param pendingAfter   names of the reasons pending right after boot, or null when not recorded
 */
public record LastReboot(String requestId, Instant rebootedAt, List<Reason> reasonsBefore,
                         boolean loopSuspected, String oldBootId, String newBootId, List<String> pendingAfter) {
    public LastReboot {
        Objects.requireNonNull(requestId, "requestId == null");
        Objects.requireNonNull(rebootedAt, "rebootedAt == null");
        reasonsBefore = reasonsBefore == null ? List.of() : List.copyOf(reasonsBefore);
        pendingAfter = pendingAfter == null ? null : List.copyOf(pendingAfter);
    }

    /** Without the boot ids and the state after boot, as journals before they were recorded hold it. */
    public LastReboot(String requestId, Instant rebootedAt, List<Reason> reasonsBefore,
                      boolean loopSuspected) {
        this(requestId, rebootedAt, reasonsBefore, loopSuspected, null, null, null);
    }

    /** As status replies carry it ({@code data.last_reboot}). */
    public io.orch.protocol.payload.LastReboot toWire() {
        return new io.orch.protocol.payload.LastReboot(requestId, rebootedAt, oldBootId, newBootId, reasonsBefore,
                pendingAfter, loopSuspected);
    }
}
