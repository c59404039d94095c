package io.orch.responder.pending.windows;

import io.orch.responder.pending.PendingDetector;
import io.orch.protocol.payload.Reason;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An installer replaced files in use: {@code UpdateExeVolatile} under {@code SOFTWARE\Microsoft\Updates},
 * or under its WOW64 twin {@code SOFTWARE\WOW6432Node\Microsoft\Updates} (32-bit installers), is a
 * DWORD other than 0. Evidence: {@code values}, each non-zero value's full name and its data.
 */
final class UpdateExeVolatile implements PendingDetector {
    static final String KEY = "SOFTWARE\\Microsoft\\Updates";
    static final String WOW64_KEY = "SOFTWARE\\WOW6432Node\\Microsoft\\Updates";
    static final String VALUE = "UpdateExeVolatile";

    private final Registry registry;

    UpdateExeVolatile(Registry registry) {
        this.registry = Objects.requireNonNull(registry, "registry == null");
    }

    @Override
    public String name() {
        return "update_exe_volatile";
    }

    @Override
    public Optional<Reason> detect() throws IOException {
        Map<String, Object> found = new LinkedHashMap<>();
        Unreadable unreadable = new Unreadable();
        for (String key : List.of(KEY, WOW64_KEY)) {
            try {
                Optional<Long> data = registry.dword(key, VALUE);
                if (data.isPresent() && data.get() != 0) {
                    found.put(Registry.path(key, VALUE), data.get());
                }
            } catch (IOException e) {
                unreadable.add(e);
            }
        }
        if (found.isEmpty()) {
            unreadable.throwIfAny();
            return Optional.empty();
        }
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("values", found);
        unreadable.addTo(evidence);
        Map.Entry<String, Object> first = found.entrySet().iterator().next();
        return Optional.of(new Reason(name(), first.getKey() + " = " + first.getValue()
                + (found.size() > 1 ? " (and its WOW64 twin)" : ""), evidence));
    }
}
