package io.orch.responder.facts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Facts every node has, read once at start from files below the root: {@code /etc/os-release},
 * {@code /proc/sys/kernel/osrelease}, the kernel's boot id and {@code /proc/uptime} (on Windows,
 * which has no {@code /proc}, the boot id and time come from {@link WindowsBoot}). They cannot
 * change without a reboot, and a reboot restarts the responder.
 */
public final class BuiltinFacts {
    private BuiltinFacts() {
    }

    /** A boot as the OS tells it where there is no {@code /proc}: its id (stable for the boot) and start. */
    public record Boot(String id, Instant time) {
    }

    /** @param identity the configured identity, or null to use the hostname */
    public static Map<String, Object> read(Path root, String identity, Clock clock) {
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        return read(root, identity, clock, windows ? () -> WindowsBoot.read(clock) : Optional::empty);
    }

    /** @param osBoot the boot where {@code /proc} does not tell it; asked only then */
    static Map<String, Object> read(Path root, String identity, Clock clock, Supplier<Optional<Boot>> osBoot) {
        Map<String, Object> facts = new LinkedHashMap<>();
        String hostname = hostname(root);
        if (hostname == null) {
            hostname = "localhost";
        }
        facts.put("identity", identity == null || identity.isBlank() ? hostname : identity);
        facts.put("hostname", hostname);

        Map<String, String> osRelease = osRelease(root.resolve("etc/os-release"));
        Map<String, Object> os = new LinkedHashMap<>();
        os.put("family", family(osRelease));
        os.put("name", osRelease.getOrDefault("NAME", System.getProperty("os.name")));
        os.put("id", osRelease.getOrDefault("ID", ""));
        String version = osRelease.getOrDefault("VERSION_ID", "");
        Map<String, Object> release = new LinkedHashMap<>();
        release.put("full", version);
        release.put("major", version.contains(".") ? version.substring(0, version.indexOf('.')) : version);
        os.put("release", release);
        facts.put("os", os);

        String kernelRelease = firstLine(root.resolve("proc/sys/kernel/osrelease"));
        facts.put("kernel", Map.of("release", kernelRelease == null ? System.getProperty("os.version") : kernelRelease));

        String bootId = firstLine(root.resolve("proc/sys/kernel/random/boot_id"));
        Instant bootTime = uptimeBootTime(root, clock);
        if (bootId == null || bootTime == null) {
            Optional<Boot> machine = osBoot.get();
            bootId = bootId != null ? bootId : machine.map(Boot::id).orElse(null);
            bootTime = bootTime != null ? bootTime : machine.map(Boot::time).orElse(null);
        }
        facts.put("boot_id", bootId == null ? "" : bootId);
        facts.put("boot_time", (bootTime == null ? clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                : bootTime).toString());
        return facts;
    }

    /** The kernel's hostname, else {@code /etc/hostname}; null when neither has one. */
    public static String hostname(Path root) {
        String hostname = firstLine(root.resolve("proc/sys/kernel/hostname"));
        return hostname != null ? hostname : firstLine(root.resolve("etc/hostname"));
    }

    /** Boot time from {@code /proc/uptime} at start; if unreadable, the responder's own start. */
    public static Instant bootTime(Path root, Clock clock) {
        Instant fromUptime = uptimeBootTime(root, clock);
        return fromUptime != null ? fromUptime : clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    }

    /** Boot time from {@code /proc/uptime}, or null when it cannot be read. */
    private static Instant uptimeBootTime(Path root, Clock clock) {
        String uptime = firstLine(root.resolve("proc/uptime"));
        if (uptime != null) {
            try {
                double seconds = Double.parseDouble(uptime.split("\\s+")[0]);
                return clock.instant().minus(Duration.ofMillis((long) (seconds * 1000)))
                        .truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            } catch (NumberFormatException e) {
                // null: an odd /proc/uptime must not stop the responder
            }
        }
        return null;
    }

    /** Facter's names for the families orch's detectors know about. */
    static String family(Map<String, String> osRelease) {
        String ids = (osRelease.getOrDefault("ID", "") + " " + osRelease.getOrDefault("ID_LIKE", ""))
                .toLowerCase(Locale.ROOT);
        if (ids.contains("debian") || ids.contains("ubuntu")) {
            return "Debian";
        }
        if (ids.contains("rhel") || ids.contains("fedora") || ids.contains("centos")) {
            return "RedHat";
        }
        if (ids.contains("suse")) {
            return "Suse";
        }
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (ids.isBlank() && os.contains("windows")) {
            return "windows";
        }
        String id = osRelease.getOrDefault("ID", "");
        return id.isEmpty() ? "unknown" : Character.toUpperCase(id.charAt(0)) + id.substring(1);
    }

    static Map<String, String> osRelease(Path file) {
        Map<String, String> values = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                int eq = line.indexOf('=');
                if (eq <= 0 || line.startsWith("#")) {
                    continue;
                }
                String value = line.substring(eq + 1).trim();
                if (value.length() >= 2 && (value.startsWith("\"") || value.startsWith("'"))
                        && value.endsWith(value.substring(0, 1))) {
                    value = value.substring(1, value.length() - 1);
                }
                values.put(line.substring(0, eq).trim(), value);
            }
        } catch (IOException e) {
            // no os-release: the facts say "unknown" instead of failing
        }
        return values;
    }

    static String firstLine(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                return null;
            }
            String text = Files.readString(file, StandardCharsets.UTF_8).trim();
            int nl = text.indexOf('\n');
            String line = nl < 0 ? text : text.substring(0, nl).trim();
            return line.isEmpty() ? null : line;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
