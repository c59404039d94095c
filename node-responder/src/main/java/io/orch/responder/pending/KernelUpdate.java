package io.orch.responder.pending;

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

/**
 * The running kernel is older than the newest one installed under {@code /boot}
 * ({@code vmlinuz-*}) or {@code /lib/modules}. Versions are compared segment by segment,
 * numbers as numbers, so {@code 6.1.0-10} is newer than {@code 6.1.0-9}.
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
    public Optional<PendingReason> detect() throws IOException {
        Path osrelease = root.resolve("proc/sys/kernel/osrelease");
        if (!Files.isRegularFile(osrelease)) {
            return Optional.empty();
        }
        String running = Files.readString(osrelease, StandardCharsets.UTF_8).trim();
        if (running.isEmpty()) {
            return Optional.empty();
        }
        List<String> installed = installed();
        String newest = null;
        for (String version : installed) {
            if (newest == null || Versions.compare(version, newest) > 0) {
                newest = version;
            }
        }
        if (newest == null || Versions.compare(newest, running) <= 0) {
            return Optional.empty();
        }
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("running", running);
        evidence.put("newest", newest);
        return Optional.of(new PendingReason(name(), "running kernel " + running + " is older than installed " + newest,
                evidence));
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
                    versions.add(dir.getFileName().toString());
                }
            }
        }
        versions.removeIf(v -> v.isBlank() || !Character.isDigit(v.charAt(0)));
        return versions;
    }
}
