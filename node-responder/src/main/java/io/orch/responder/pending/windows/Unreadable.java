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

    /** A registry question about one place. */
    interface Check<T> {
        boolean holds(T place) throws IOException;
    }

    void add(IOException e) {
        errors.add(e);
    }

    /** The places for which {@code check} holds; the ones that could not be read are remembered here. */
    <T> List<T> matching(List<T> places, Check<T> check) {
        List<T> found = new ArrayList<>();
        for (T place : places) {
            try {
                if (check.holds(place)) {
                    found.add(place);
                }
            } catch (IOException e) {
                add(e);
            }
        }
        return found;
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
