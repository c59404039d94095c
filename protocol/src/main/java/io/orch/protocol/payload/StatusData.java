package io.orch.protocol.payload;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The data of a {@code status} reply ({@code ok}, or {@code failed} when the pending state is unknown).
 *
 * @param detectorErrors  detectors that failed, name → error; never count as pending; sent only when not empty
 * @param factErrors      fact sources that failed, script or file → error; sent only when not empty
 * @param lastReboot      the last reboot orch made, or null if none (or when {@code lastRebootError} is set)
 * @param lastRebootError why the journal could not be read, or null; when set, {@code last_reboot} is not sent
 * @param rebootUnderway  the request id of the reboot under way, or null
 * @param facts           the fact paths asked for with their values (null when missing), or null when none were asked
 * @param security        {@code verified} or {@code insecure} (the node checks no signatures); null from older nodes
 * @param maintenance     the node's maintenance windows and whether one is open now; null from older nodes
 */
public record StatusData(boolean pending, List<Reason> reasons, Map<String, String> detectorErrors, String bootId,
                         long uptimeSeconds, Map<String, String> factErrors, LastReboot lastReboot,
                         String lastRebootError, LoopGuardState loopGuard, String rebootUnderway,
                         Map<String, Object> facts, String security, Maintenance maintenance) implements ReplyData {
    public static final String VERIFIED = "verified";
    public static final String INSECURE = "insecure";

    /** Without the node's security mode and windows. */
    public StatusData(boolean pending, List<Reason> reasons, Map<String, String> detectorErrors, String bootId,
                      long uptimeSeconds, Map<String, String> factErrors, LastReboot lastReboot,
                      String lastRebootError, LoopGuardState loopGuard, String rebootUnderway,
                      Map<String, Object> facts) {
        this(pending, reasons, detectorErrors, bootId, uptimeSeconds, factErrors, lastReboot, lastRebootError,
                loopGuard, rebootUnderway, facts, null, null);
    }

    public StatusData {
        reasons = Copies.list(reasons);
        detectorErrors = Copies.map(detectorErrors);
        Objects.requireNonNull(bootId, "bootId == null");
        factErrors = Copies.map(factErrors);
        Objects.requireNonNull(loopGuard, "loopGuard == null");
        if (lastRebootError != null && lastReboot != null) {
            throw new IllegalArgumentException("lastReboot and lastRebootError are exclusive");
        }
        facts = facts == null ? null : Copies.map(facts);
    }

    @Override
    public List<String> reasonNames() {
        return Reason.names(reasons);
    }
}
