package io.orch.responder.pending.windows;

import io.orch.protocol.Limits;
import io.orch.responder.pending.PendingDetector;
import io.orch.protocol.payload.Reason;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Files the session manager moves or deletes at the next boot: {@code PendingFileRenameOperations}
 * (and {@code PendingFileRenameOperations2}) under {@code Session Manager}, multi-strings of
 * source / target pairs (an empty target deletes the source). Pending when an entry is not blank.
 * Evidence: the {@code key}, the {@code values} that list operations, how many {@code operations}
 * and the first source {@code files}, as the registry spells them ({@code \??\C:\...}).
 */
final class PendingFileRename implements PendingDetector {
    static final String KEY = "SYSTEM\\CurrentControlSet\\Control\\Session Manager";
    static final List<String> VALUES = List.of("PendingFileRenameOperations", "PendingFileRenameOperations2");
    static final int MAX_FILES = Limits.MAX_PENDING_RENAMES_SHOWN;

    private final Registry registry;

    PendingFileRename(Registry registry) {
        this.registry = Objects.requireNonNull(registry, "registry == null");
    }

    @Override
    public String name() {
        return "pending_file_rename";
    }

    @Override
    public Optional<Reason> detect() throws IOException {
        List<String> values = new ArrayList<>();
        List<String> files = new ArrayList<>();
        int operations = 0;
        Unreadable unreadable = new Unreadable();
        for (String value : VALUES) {
            List<String> entries;
            try {
                entries = registry.multiString(KEY, value).orElse(List.of());
            } catch (IOException e) {
                unreadable.add(e);
                continue;
            }
            if (entries.stream().allMatch(String::isBlank)) {
                continue;
            }
            values.add(value);
            for (int i = 0; i < entries.size(); i += 2) {
                String source = entries.get(i).strip();
                boolean hasTarget = i + 1 < entries.size() && !entries.get(i + 1).isBlank();
                if (!source.isEmpty() || hasTarget) {
                    operations++;
                }
                if (!source.isEmpty() && files.size() < MAX_FILES) {
                    files.add(source);
                }
            }
        }
        if (values.isEmpty()) {
            unreadable.throwIfAny();
            return Optional.empty();
        }
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("key", Registry.path(KEY));
        evidence.put("values", values);
        evidence.put("operations", operations);
        evidence.put("files", files);
        unreadable.addTo(evidence);
        String detail = Registry.path(KEY, values.get(0)) + " lists " + operations + " file operation"
                + (operations == 1 ? "" : "s") + (files.isEmpty() ? "" : " (" + files.get(0)
                + (files.size() > 1 ? ", ..." : "") + ")");
        return Optional.of(new Reason(name(), detail, evidence));
    }
}
