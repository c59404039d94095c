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
 * A domain join (or leave) finishes at the next boot: Netlogon holds a {@code JoinDomain} or
 * {@code AvoidSpnSet} value, of any type. Evidence: the {@code key} and the {@code values} found.
 */
final class DomainJoin implements PendingDetector {
    static final String KEY = "SYSTEM\\CurrentControlSet\\Services\\Netlogon";
    static final List<String> VALUES = List.of("JoinDomain", "AvoidSpnSet");

    private final Registry registry;

    DomainJoin(Registry registry) {
        this.registry = Objects.requireNonNull(registry, "registry == null");
    }

    @Override
    public String name() {
        return "domain_join";
    }

    @Override
    public Optional<Reason> detect() throws IOException {
        Unreadable unreadable = new Unreadable();
        List<String> found = unreadable.matching(VALUES, value -> registry.valueExists(KEY, value));
        if (found.isEmpty()) {
            unreadable.throwIfAny();
            return Optional.empty();
        }
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("key", Registry.path(KEY));
        evidence.put("values", found);
        unreadable.addTo(evidence);
        return Optional.of(new Reason(name(), Registry.path(KEY) + " has " + String.join(" and ", found),
                evidence));
    }
}
