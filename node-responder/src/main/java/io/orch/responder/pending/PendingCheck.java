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
    /**
     * The last failure of each detector that is failing now: logged when it starts or changes, not on every run
     * (the metrics run the detectors every minute, and a detector that cannot read its file fails each time).
     */
    private final Map<String, String> failing = new java.util.concurrent.ConcurrentHashMap<>();

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
                if (failing.remove(detector.name()) != null) {
                    log.info("pending detector {} works again", detector.name());
                }
            } catch (Exception e) {
                if (!e.toString().equals(failing.put(detector.name(), e.toString()))) {
                    log.warn("pending detector {} failed: {} (logged again only when this changes)", detector.name(),
                            e.toString());
                }
                errors.put(detector.name(), e.toString());
            }
        }
        return new PendingState(reasons, errors);
    }
}
