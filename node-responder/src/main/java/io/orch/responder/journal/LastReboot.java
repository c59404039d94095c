package io.orch.responder.journal;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The last reboot orch made on this node, for the loop guard.
 *
 * @param reasonsBefore  the reasons that justified it
 * @param loopSuspected  the same reasons were still pending right after boot
 */
public record LastReboot(String requestId, Instant rebootedAt, List<Map<String, Object>> reasonsBefore,
                         boolean loopSuspected) {
    public LastReboot {
        Objects.requireNonNull(requestId, "requestId == null");
        Objects.requireNonNull(rebootedAt, "rebootedAt == null");
        reasonsBefore = reasonsBefore == null ? List.of() : List.copyOf(reasonsBefore);
    }
}
