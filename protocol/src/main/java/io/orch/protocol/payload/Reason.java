package io.orch.protocol.payload;

import java.util.Map;
import java.util.Objects;

/**
 * Why a reboot is pending, with the evidence an operator can check by hand. Every list called
 * {@code reasons} or {@code reasons_before} on the wire holds these, as {@code {"name","detail","evidence"}}.
 *
 * @param name     the detector's reason name, e.g. {@code kernel_update}
 * @param detail   one human-readable sentence
 * @param evidence for example {@code file} and {@code packages}, or {@code running} and {@code newest}
 */
public record Reason(String name, String detail, Map<String, Object> evidence) {
    public Reason {
        Objects.requireNonNull(name, "name == null");
        detail = detail == null ? "" : detail;
        evidence = Copies.map(evidence);
    }

    /** The names of {@code reasons}, in order. */
    public static java.util.List<String> names(java.util.List<Reason> reasons) {
        return reasons.stream().map(Reason::name).toList();
    }
}
