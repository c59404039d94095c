package io.orch.responder.pending;

import io.orch.protocol.payload.Reason;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The result of running every detector once.
 *
 * @param errors detectors that could not decide, by name; they never count as pending
 */
public record PendingState(List<Reason> reasons, Map<String, String> errors) {
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
        return Reason.names(reasons);
    }

}
