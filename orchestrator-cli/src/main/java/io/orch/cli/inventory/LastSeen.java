package io.orch.cli.inventory;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * When this host last heard from each node of a collective, kept in one small JSON file
 * ({@code <state dir>/last-seen-<collective>.json}, node → epoch milliseconds). Written after each run, read when a node
 * does not answer, so the report can say "last seen 3 days ago" instead of only "no response".
 * Losing it loses nothing but that hint, so read and write problems never fail a run.
 */
public final class LastSeen {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Map<String, Instant> seen = new TreeMap<>();

    private LastSeen(Path file) {
        this.file = file;
    }

    /** Loads the record for {@code collective} under {@code stateDir}; a missing or unreadable file is an empty record. */
    public static LastSeen load(Path stateDir, String collective) {
        LastSeen lastSeen = new LastSeen(stateDir.resolve("last-seen-" + collective + ".json"));
        try {
            if (Files.isRegularFile(lastSeen.file)) {
                Map<String, Object> raw = JSON.readValue(lastSeen.file.toFile(), new TypeReference<>() {
                });
                raw.forEach((node, when) -> {
                    try {
                        // Epoch milliseconds; an ISO-8601 text from an older orch. Numbers, because a fleet's
                        // worth of Instant.parse was a tenth of a 1,000-node run's CPU.
                        Instant at = when instanceof Number millis ? Instant.ofEpochMilli(millis.longValue())
                                : Instant.parse((String) when);
                        lastSeen.seen.put(node, at);
                    } catch (RuntimeException e) {
                        // one bad entry: forget it
                    }
                });
            }
        } catch (IOException | RuntimeException e) {
            // a damaged record is only a lost hint; the next save replaces it
        }
        return lastSeen;
    }

    /** The state directory of the user: {@code $XDG_STATE_HOME/orch}, else {@code ~/.local/state/orch}. */
    public static Path defaultStateDir(Map<String, String> env) {
        String xdg = env.get("XDG_STATE_HOME");
        // The XDG spec: a relative path is invalid and ignored.
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "orch");
        }
        return Path.of(System.getProperty("user.home"), ".local", "state", "orch");
    }

    public Optional<Instant> of(String node) {
        return Optional.ofNullable(seen.get(node));
    }

    public void saw(String node, Instant when) {
        seen.merge(node, when, (a, b) -> a.isAfter(b) ? a : b);
    }

    /** Writes the record atomically. @return null when saved, else why not (for a warning) */
    public String save() {
        try {
            Map<String, Long> raw = new TreeMap<>();
            seen.forEach((node, when) -> raw.put(node, when.toEpochMilli()));
            AtomicFile.write(file, ".last-seen", JSON.writeValueAsBytes(raw));
            return null;
        } catch (IOException | RuntimeException e) {
            return "cannot record when nodes were last seen in " + file + ": " + e.getMessage();
        }
    }
}
