package io.orch.responder.pending.windows;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The places a detector could not read. When another place proves a reboot pending they go into
 * the evidence; when none does they make the detector fail, so "could not read" never passes for
 * "not pending".
 */
final class Unreadable {
    private final List<IOException> errors = new ArrayList<>();

    void add(IOException e) {
        errors.add(e);
    }

    void throwIfAny() throws IOException {
        if (errors.isEmpty()) {
            return;
        }
        if (errors.size() == 1) {
            throw errors.get(0);
        }
        IOException all = new IOException(String.join("; ", messages()), errors.get(0));
        errors.subList(1, errors.size()).forEach(all::addSuppressed);
        throw all;
    }

    void addTo(Map<String, Object> evidence) {
        if (!errors.isEmpty()) {
            evidence.put("unreadable", messages());
        }
    }

    private List<String> messages() {
        return errors.stream().map(e -> String.valueOf(e.getMessage())).toList();
    }
}
