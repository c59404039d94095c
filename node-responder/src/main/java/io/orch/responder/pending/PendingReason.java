package io.orch.responder.pending;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Why a reboot is pending, with the evidence an operator can check by hand.
 *
 * @param evidence for example {@code file} and {@code packages}, or {@code running} and {@code newest}
 */
public record PendingReason(String name, String detail, Map<String, Object> evidence) {
    public PendingReason {
        Objects.requireNonNull(name, "name == null");
        detail = detail == null ? "" : detail;
        evidence = evidence == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(evidence));
    }

    /** The shape this takes in replies. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("name", name);
        map.put("detail", detail);
        map.put("evidence", evidence);
        return map;
    }
}
