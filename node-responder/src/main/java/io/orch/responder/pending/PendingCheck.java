package io.orch.responder.pending;

import io.orch.protocol.payload.Reason;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs every enabled detector. A detector that fails is reported, never taken as a reason to reboot. */
public final class PendingCheck {
    private static final Logger log = LoggerFactory.getLogger(PendingCheck.class);

    private final List<PendingDetector> detectors;

    public PendingCheck(List<PendingDetector> detectors) {
        this.detectors = List.copyOf(detectors);
    }

    public List<PendingDetector> detectors() {
        return detectors;
    }

    public PendingState run() {
        List<Reason> reasons = new ArrayList<>();
        Map<String, String> errors = new LinkedHashMap<>();
        for (PendingDetector detector : detectors) {
            try {
                Optional<Reason> reason = detector.detect();
                reason.ifPresent(reasons::add);
            } catch (Exception e) {
                log.warn("pending detector {} failed: {}", detector.name(), e.toString());
                errors.put(detector.name(), e.toString());
            }
        }
        return new PendingState(reasons, errors);
    }
}
