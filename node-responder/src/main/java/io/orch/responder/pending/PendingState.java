package io.orch.responder.pending;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The result of running every detector once.
 *
 * @param errors detectors that could not decide, by name; they never count as pending
 */
public record PendingState(List<PendingReason> reasons, Map<String, String> errors) {
    public PendingState {
        reasons = List.copyOf(reasons);
        errors = Map.copyOf(errors);
    }

    public boolean pending() {
        return !reasons.isEmpty();
    }

    /**
     * Why "nothing pending" cannot be trusted (a detector failed and none found a reason), or
     * null: then a node fails closed rather than answer "not pending".
     */
    public String unknownReason() {
        if (pending() || errors.isEmpty()) {
            return null;
        }
        return "pending state unknown: " + new TreeMap<>(errors).entrySet().stream()
                .map(e -> "detector " + e.getKey() + " failed: " + e.getValue())
                .collect(Collectors.joining("; "));
    }

    public List<String> reasonNames() {
        return reasons.stream().map(PendingReason::name).toList();
    }

    public List<Map<String, Object>> reasonMaps() {
        List<Map<String, Object>> out = new ArrayList<>();
        reasons.forEach(r -> out.add(r.toMap()));
        return out;
    }

    /** For replies: pending, reasons with evidence, and detector errors when there were any. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("pending", pending());
        map.put("reasons", reasonMaps());
        if (!errors.isEmpty()) {
            map.put("detector_errors", errors);
        }
        return map;
    }
}
