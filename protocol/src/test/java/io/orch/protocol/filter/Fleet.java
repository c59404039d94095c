package io.orch.protocol.filter;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Four nodes with the kinds of facts a real fleet has, for table-driven selection tests. */
final class Fleet {

    /** Debian web server: nested os facts, numbers of every type, a boolean, lists, a dotted literal key. */
    static final Map<String, Object> WEB01 = facts(
            "identity", "web01",
            "os", Map.of("family", "debian", "release", Map.of("major", 12, "full", "12.5")),
            "kernel.release", "6.1.0-18-amd64",
            "kernel", Map.of("release", "shadowed-by-the-dotted-key"),
            "uptime_s", 90_000,
            "boot_count", 12L,
            "load", 0.75,
            "memory_gb", 16.0,
            "build", "10",
            "version", "5.10.0",
            "reboot_pending", true,
            "reboot_pending_reasons", List.of("kernel", "glibc"),
            "ports", List.of(22, 80, 443),
            "motd", "hello world (daily)");

    /** Red Hat database: numbers as Long and as numeric strings, pending false, an empty reasons list. */
    static final Map<String, Object> DB02 = facts(
            "identity", "db02",
            "os", Map.of("family", "redhat"),
            "kernel", Map.of("release", "5.14.0-362.el9"),
            "uptime_s", 3_600L,
            "load", "1.5",
            "memory_gb", 8,
            "build", "9",
            "version", "5.15.0",
            "reboot_pending", false,
            "reboot_pending_reasons", List.of());

    /** Windows app server: uptime as a Double, reboot_pending as the string "true" (e.g. an external fact). */
    static final Map<String, Object> WIN07 = facts(
            "identity", "WIN-APP-07",
            "os", Map.of("family", "windows"),
            "uptime_s", 86_400.0,
            "reboot_pending", "true",
            "reboot_pending_reasons", List.of("cbs"));

    /** A node that reports nothing but its identity: every other fact is missing. */
    static final Map<String, Object> BARE = facts("identity", "bare01");

    static final Map<String, Map<String, Object>> NODES = Map.of(
            "web01", WEB01, "db02", DB02, "win07", WIN07, "bare", BARE);

    private Fleet() {
    }

    /** The names (keys of {@link #NODES}) of the nodes the filter selects. */
    static Set<String> selectedBy(Filter filter) {
        Set<String> names = new TreeSet<>();
        NODES.forEach((name, facts) -> {
            if (filter.matches(new MapFactView(facts))) {
                names.add(name);
            }
        });
        return names;
    }

    static Set<String> names(String... names) {
        return new TreeSet<>(List.of(names));
    }

    private static Map<String, Object> facts(Object... keyValues) {
        Map<String, Object> facts = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            facts.put((String) keyValues[i], keyValues[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(facts);
    }
}
