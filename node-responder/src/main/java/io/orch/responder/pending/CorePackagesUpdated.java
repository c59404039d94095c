package io.orch.responder.pending;

import io.orch.protocol.Limits;
import io.orch.protocol.payload.Reason;
import io.orch.responder.command.CommandResult;
import io.orch.responder.command.CommandRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RHEL-style: a core package (kernel, glibc, systemd, dbus or dbus-broker, linux-firmware,
 * microcode_ctl) was installed after boot, as {@code needs-restarting -r} decides. Install times
 * come from the rpm database through {@code rpm -q}; the detector is active only where that
 * database exists below the root ({@code /var/lib/rpm} or {@code /usr/lib/sysimage/rpm}).
 */
public final class CorePackagesUpdated implements PendingDetector {
    static final List<String> PACKAGES = List.of("kernel", "glibc", "systemd", "dbus", "dbus-broker",
            "linux-firmware", "microcode_ctl");
    /** rpm -q on a handful of names takes well under a second; a locked database must not hold a request. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    static final List<String> DATABASES = List.of("var/lib/rpm", "usr/lib/sysimage/rpm");

    private static final Pattern INSTALLED = Pattern.compile("(\\S+)\\s+(\\d{1,12})");
    private static final Pattern NOT_INSTALLED = Pattern.compile("package \\S+ is not installed");

    private final Path root;
    private final Instant bootTime;
    private final CommandRunner runner;
    private final Duration timeout;

    public CorePackagesUpdated(Path root, Instant bootTime, CommandRunner runner, Duration timeout) {
        this.root = Objects.requireNonNull(root, "root == null");
        this.bootTime = Objects.requireNonNull(bootTime, "bootTime == null");
        this.runner = Objects.requireNonNull(runner, "runner == null");
        this.timeout = Objects.requireNonNull(timeout, "timeout == null");
    }

    @Override
    public String name() {
        return "core_packages_updated";
    }

    /** {@code rpm -q --qf '%{NAME} %{INSTALLTIME}\n' PACKAGES...}, with {@code --root} below a non-/ root. */
    public List<String> argv() {
        List<String> argv = new ArrayList<>();
        argv.add("rpm");
        if (root.toAbsolutePath().getParent() != null) {
            argv.add("--root");
            argv.add(root.toAbsolutePath().toString());
        }
        argv.addAll(List.of("-q", "--qf", "%{NAME} %{INSTALLTIME}\n"));
        argv.addAll(PACKAGES);
        return argv;
    }

    @Override
    public Optional<Reason> detect() throws IOException, InterruptedException {
        if (DATABASES.stream().noneMatch(db -> Files.isDirectory(root.resolve(db)))) {
            return Optional.empty(); // not an rpm system
        }
        List<String> argv = argv();
        CommandResult result = runner.run(argv, null, timeout);
        Map<String, Instant> installed = parse(result.output());
        if (installed == null) {
            // rpm exits with the number of names it did not find, so only the output tells success from failure.
            String output = result.output().isBlank() ? result.errors() : result.output();
            throw new IOException("rpm -q exited " + result.exitCode() + " without a package line"
                    + (output.isBlank() ? "" : ": " + CommandResult.head(output, Limits.MAX_QUOTED_OUTPUT_CHARS)));
        }
        Map<String, Object> after = new LinkedHashMap<>();
        StringJoiner names = new StringJoiner(", ");
        installed.forEach((name, time) -> {
            if (time.isAfter(bootTime)) {
                after.put(name, time.toString());
                names.add(name + " (" + time + ")");
            }
        });
        if (after.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("packages", after);
        evidence.put("boot_time", bootTime.toString());
        return Optional.of(new Reason(name(), "installed after boot at " + bootTime + ": " + names, evidence));
    }

    /**
     * The newest install time of each core package, in {@link #PACKAGES} order; not-installed
     * lines and lines that are not about a core package are skipped. Null when no line was usable.
     */
    static Map<String, Instant> parse(String output) {
        Map<String, Instant> newest = new LinkedHashMap<>();
        PACKAGES.forEach(p -> newest.put(p, null));
        boolean usable = false;
        for (String raw : output.split("\n")) {
            String line = raw.strip();
            if (NOT_INSTALLED.matcher(line).matches()) {
                usable = true;
                continue;
            }
            Matcher m = INSTALLED.matcher(line);
            if (m.matches() && newest.containsKey(m.group(1))) {
                usable = true;
                Instant time = Instant.ofEpochSecond(Long.parseLong(m.group(2)));
                newest.merge(m.group(1), time, (a, b) -> a.isAfter(b) ? a : b);
            }
        }
        newest.values().removeIf(Objects::isNull);
        return usable ? newest : null;
    }
}
