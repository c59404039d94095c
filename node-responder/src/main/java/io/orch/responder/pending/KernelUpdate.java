package io.orch.responder.pending;

import io.orch.protocol.payload.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * The running kernel is older than the newest installed kernel of the same flavour: a
 * {@code /boot/vmlinuz-<version>}, or a {@code /lib/modules/<version>} folder holding its
 * {@code vmlinuz} (RHEL 9 and Fedora). Versions are compared segment by segment, numbers as
 * numbers, so {@code 6.1.0-10} is newer than {@code 6.1.0-9}. A different flavour
 * ({@code cloud-amd64} beside {@code amd64}, {@code +debug}) is not an update of the running one.
 */
public final class KernelUpdate implements PendingDetector {
    private final Path root;

    public KernelUpdate(Path root) {
        this.root = root;
    }

    @Override
    public String name() {
        return "kernel_update";
    }

    @Override
    public Optional<Reason> detect() throws IOException {
        Path osrelease = root.resolve("proc/sys/kernel/osrelease");
        if (!Files.isRegularFile(osrelease)) {
            return Optional.empty();
        }
        String running = Files.readString(osrelease, StandardCharsets.UTF_8).trim();
        if (running.isEmpty()) {
            return Optional.empty();
        }
        String flavour = flavour(running);
        String newest = null;
        for (String version : installed()) {
            if (flavour(version).equals(flavour) && (newest == null || Versions.compare(version, newest) > 0)) {
                newest = version;
            }
        }
        if (newest == null || Versions.compare(newest, running) <= 0) {
            return Optional.empty();
        }
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("running", running);
        evidence.put("newest", newest);
        return Optional.of(new Reason(name(), "running kernel " + running + " is older than installed " + newest,
                evidence));
    }

    /**
     * The build variant of a kernel release: after the first '-'-separated segment, the segments
     * that start with a letter, plus any {@code +suffix}. {@code 6.1.0-26-cloud-amd64} gives
     * {@code cloud-amd64}, {@code 5.14.0-427.13.1.el9_4.x86_64+debug} gives {@code +debug}.
     */
    static String flavour(String release) {
        int plus = release.indexOf('+');
        String base = plus < 0 ? release : release.substring(0, plus);
        String[] segments = base.split("-");
        StringJoiner flavour = new StringJoiner("-");
        for (int i = 1; i < segments.length; i++) {
            if (!segments[i].isEmpty() && Character.isLetter(segments[i].charAt(0))) {
                flavour.add(segments[i]);
            }
        }
        return flavour + (plus < 0 ? "" : release.substring(plus));
    }

    private List<String> installed() throws IOException {
        List<String> versions = new ArrayList<>();
        Path boot = root.resolve("boot");
        if (Files.isDirectory(boot)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(boot, "vmlinuz-*")) {
                for (Path file : files) {
                    versions.add(file.getFileName().toString().substring("vmlinuz-".length()));
                }
            }
        }
        Path modules = root.resolve("lib/modules");
        if (Files.isDirectory(modules)) {
            try (DirectoryStream<Path> dirs = Files.newDirectoryStream(modules, Files::isDirectory)) {
                for (Path dir : dirs) {
                    String version = dir.getFileName().toString();
                    // Package managers leave module folders of removed kernels behind; only a kernel image counts.
                    if (Files.exists(dir.resolve("vmlinuz")) || Files.exists(boot.resolve("vmlinuz-" + version))) {
                        versions.add(version);
                    }
                }
            }
        }
        versions.removeIf(v -> v.isBlank() || !Character.isDigit(v.charAt(0)));
        return versions;
    }
}
