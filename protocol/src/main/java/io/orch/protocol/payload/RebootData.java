package io.orch.protocol.payload;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The data of a {@code reboot} reply that got as far as the pending state: {@code scheduled}, {@code noop},
 * {@code not_pending} (with the resource), {@code denied} by the loop guard and {@code failed} for an
 * unknown pending state (without it). Earlier refusals carry {@link NoData}.
 *
 * @param resource       the resource and its outcome, or null when refused before deciding
 * @param detectorErrors sent only when not empty (the {@code failed} reply)
 * @param bootId         the boot id before the reboot
 */
public record RebootData(RebootReport resource, List<Reason> reasons, Map<String, String> detectorErrors,
                         String bootId) implements ReplyData {
    public RebootData {
        reasons = Copies.list(reasons);
        detectorErrors = Copies.map(detectorErrors);
        Objects.requireNonNull(bootId, "bootId == null");
    }

    @Override
    public List<String> reasonNames() {
        return Reason.names(reasons);
    }
}
