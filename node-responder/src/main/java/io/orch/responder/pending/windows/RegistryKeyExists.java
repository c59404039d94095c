package io.orch.responder.pending.windows;

import io.orch.protocol.Limits;
import io.orch.responder.pending.PendingDetector;
import io.orch.protocol.payload.Reason;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Pending while one of a few flag keys exists: component-based servicing's {@code RebootPending}
 * (and {@code RebootInProgress}, {@code PackagesPending}), Windows Update's {@code RebootRequired}.
 * Evidence: {@code keys} found, and the first of their {@code subkeys} (often the packages).
 */
final class RegistryKeyExists implements PendingDetector {
    static final String CBS = "SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Component Based Servicing";
    static final String AUTO_UPDATE = "SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WindowsUpdate\\Auto Update";
    /** Keeps the evidence readable when a key holds hundreds of packages. */
    static final int MAX_SUBKEYS = Limits.MAX_REGISTRY_SUBKEYS_SHOWN;

    private final String name;
    private final String what;
    private final Registry registry;
    private final List<String> keys;

    RegistryKeyExists(String name, String what, Registry registry, List<String> keys) {
        this.name = name;
        this.what = what;
        this.registry = Objects.requireNonNull(registry, "registry == null");
        this.keys = List.copyOf(keys);
    }

    static RegistryKeyExists componentBasedServicing(Registry registry) {
        return new RegistryKeyExists("windows_cbs", "component-based servicing", registry,
                List.of(CBS + "\\RebootPending", CBS + "\\RebootInProgress", CBS + "\\PackagesPending"));
    }

    static RegistryKeyExists windowsUpdate(Registry registry) {
        return new RegistryKeyExists("windows_update", "Windows Update", registry,
                List.of(AUTO_UPDATE + "\\RebootRequired"));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Optional<Reason> detect() throws IOException {
        Unreadable unreadable = new Unreadable();
        List<String> found = unreadable.matching(keys, registry::keyExists);
        if (found.isEmpty()) {
            unreadable.throwIfAny();
            return Optional.empty();
        }
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("keys", found.stream().map(Registry::path).toList());
        List<String> subkeys = subkeys(found);
        if (!subkeys.isEmpty()) {
            evidence.put("subkeys", subkeys);
        }
        unreadable.addTo(evidence);
        return Optional.of(new Reason(name, what + ": " + String.join(", ",
                found.stream().map(Registry::path).toList()) + (found.size() == 1 ? " exists" : " exist"), evidence));
    }

    /** Detail only: a key that cannot be listed still says "pending" by existing. */
    private List<String> subkeys(List<String> found) {
        Set<String> out = new LinkedHashSet<>();
        for (String key : found) {
            try {
                for (String sub : registry.subkeys(key)) {
                    if (out.size() < MAX_SUBKEYS) {
                        out.add(sub);
                    }
                }
            } catch (IOException e) {
                // the key's existence is the evidence that counts
            }
        }
        return new ArrayList<>(out);
    }
}
