package io.orch.responder.policy;

import io.orch.protocol.filter.FactView;
import io.orch.protocol.filter.MapFactView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Map;

/** Helpers of the policy tests: files, facts and instants. */
final class Policies {

    static final FactView NO_FACTS = new MapFactView(Map.of());

    private Policies() {
    }

    static Path write(Path file, String yaml) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.writeString(file, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Policy load(Path dir, String yaml) throws PolicyException {
        return Policy.load(write(dir.resolve("policy.yaml"), yaml));
    }

    static FactView facts(Object... keyValues) {
        Map<String, Object> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return new MapFactView(map);
    }

    /** {@code "2025-03-22T03:00"} on the wall clock of {@code zone}. */
    static Instant at(String localDateTime, String zone) {
        return LocalDateTime.parse(localDateTime).atZone(ZoneId.of(zone)).toInstant();
    }

    static Instant utc(String localDateTime) {
        return at(localDateTime, "UTC");
    }
}
