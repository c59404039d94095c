package io.orch.protocol.envelope;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

final class Values {
    private Values() {
    }

    /** Keeps insertion order (it shows in JSON output) and allows null values, unlike Map.copyOf. */
    static Map<String, Object> immutableCopy(Map<String, Object> map) {
        if (map == null || map.isEmpty()) {
            return Map.of();
        }
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
