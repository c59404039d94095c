package io.orch.responder.pending.windows;

import io.orch.responder.pending.PendingDetector;
import io.orch.protocol.payload.Reason;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The computer was renamed: the name it will have after the boot ({@code ComputerName\ComputerName})
 * differs from the one it runs under ({@code ComputerName\ActiveComputerName}). Names compare
 * without case, as Windows does. Either name missing or blank means nothing to compare: not pending.
 * Evidence: {@code active} and {@code pending} names with their keys.
 */
final class ComputerRename implements PendingDetector {
    static final String BASE = "SYSTEM\\CurrentControlSet\\Control\\ComputerName";
    static final String ACTIVE_KEY = BASE + "\\ActiveComputerName";
    static final String PENDING_KEY = BASE + "\\ComputerName";
    static final String VALUE = "ComputerName";

    private final Registry registry;

    ComputerRename(Registry registry) {
        this.registry = Objects.requireNonNull(registry, "registry == null");
    }

    @Override
    public String name() {
        return "computer_rename";
    }

    @Override
    public Optional<Reason> detect() throws IOException {
        String active = registry.string(ACTIVE_KEY, VALUE).map(String::strip).orElse("");
        String pending = registry.string(PENDING_KEY, VALUE).map(String::strip).orElse("");
        if (active.isEmpty() || pending.isEmpty() || active.equalsIgnoreCase(pending)) {
            return Optional.empty();
        }
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("active", active);
        evidence.put("active_key", Registry.path(ACTIVE_KEY, VALUE));
        evidence.put("pending", pending);
        evidence.put("pending_key", Registry.path(PENDING_KEY, VALUE));
        return Optional.of(new Reason(name(), "computer name changes from " + active + " to " + pending
                + " at the next boot", evidence));
    }
}
