package io.orch.responder.pending;

import io.orch.protocol.Limits;
import io.orch.protocol.payload.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A flag file that package managers drop when an update needs a reboot: Debian and Ubuntu's
 * {@code /run/reboot-required} (with the packages in {@code .pkgs} beside it), or SUSE's
 * {@code /run/reboot-needed}. Paths are relative to the injected root.
 */
public final class RebootRequiredFile implements PendingDetector {
    private final String name;
    private final Path root;
    private final List<String> candidates;

    private RebootRequiredFile(String name, Path root, List<String> candidates) {
        this.name = name;
        this.root = root;
        this.candidates = candidates;
    }

    /** Debian / Ubuntu: {@code /run/reboot-required}, and {@code /var/run/reboot-required} on older layouts. */
    public static RebootRequiredFile debian(Path root) {
        return new RebootRequiredFile("reboot_required", root, List.of("run/reboot-required", "var/run/reboot-required"));
    }

    /** SUSE: zypper's {@code /run/reboot-needed}. */
    public static RebootRequiredFile suse(Path root) {
        return new RebootRequiredFile("reboot_needed", root, List.of("run/reboot-needed", "var/run/reboot-needed"));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Optional<Reason> detect() throws IOException {
        for (String candidate : candidates) {
            Path flag = root.resolve(candidate);
            if (Files.exists(flag)) {
                Map<String, Object> evidence = new LinkedHashMap<>();
                evidence.put("file", "/" + candidate);
                List<String> packages = packages(flag.resolveSibling(flag.getFileName() + ".pkgs"));
                if (!packages.isEmpty()) {
                    evidence.put("packages", packages);
                }
                String detail = "/" + candidate + " exists"
                        + (packages.isEmpty() ? "" : " (" + String.join(", ", packages) + ")");
                return Optional.of(new Reason(name, detail, evidence));
            }
        }
        return Optional.empty();
    }

    /** Package names, one a line; blank lines, duplicates and lines that cannot be a package are skipped. */
    static List<String> packages(Path pkgs) {
        if (!Files.isRegularFile(pkgs)) {
            return List.of();
        }
        Set<String> out = new LinkedHashSet<>();
        try {
            var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE);
            byte[] head;
            try (var in = Files.newInputStream(pkgs)) {
                head = in.readNBytes(Limits.MAX_PENDING_PACKAGES_BYTES); // a huge file cannot exhaust the heap
            }
            String text = decoder.decode(java.nio.ByteBuffer.wrap(head)).toString();
            for (String line : text.split("\n")) {
                String pkg = line.trim();
                if (looksLikePackage(pkg) && out.size() < Limits.MAX_PENDING_PACKAGES) {
                    out.add(pkg);
                }
            }
        } catch (IOException e) {
            // The flag file alone is enough to say "pending"; a missing list only loses detail.
            return List.of();
        }
        return new ArrayList<>(out);
    }

    private static boolean looksLikePackage(String s) {
        if (s.isEmpty() || s.length() > 128) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '+' || c == '-' || c == ':' || c == '_' || c == '~';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
