package io.orch.responder.policy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.orch.protocol.filter.MapFactView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Whatever {@code policy.yaml} holds, reading it ends in a policy or a {@link PolicyException} with a
 * message; a policy that was read decides every action for a few callers and answers its maintenance
 * status without throwing (windows over a DST change included). Seeds: deploy/config/policy.yaml and
 * docs/policy.md's examples, in {@code PolicyFuzzTestInputs/parseAndDecide/}. See docs/fuzzing.md.
 */
class PolicyFuzzTest {

    private static final Path FILE = tempFile();
    private static final MapFactView FACTS = new MapFactView(Map.of(
            "identity", "web01", "role", "db", "env", "prod", "os", Map.of("family", "Debian"), "cpus", 8));
    private static final List<String> CALLERS = List.of("alice", "ops-bob", "web01", "");
    /** Sunday 2026-03-29 01:30 UTC: Europe's clocks go forward that night. */
    private static final Instant NOW = Instant.parse("2026-03-29T01:30:00Z");

    @FuzzTest
    void parseAndDecide(byte[] yaml) {
        Policy policy;
        try {
            policy = Policy.parse(FILE, yaml);
        } catch (PolicyException documented) {
            assertFalse(documented.getMessage().isBlank(), "a refusal says what is wrong");
            return;
        }
        for (String caller : CALLERS) {
            for (PolicyAction action : PolicyAction.values()) {
                assertNotNull(policy.decide(caller, action, FACTS, NOW));
            }
        }
        assertNotNull(policy.maintenance(NOW));
        assertNotNull(policy.maintenance(NOW.plusSeconds(86_400 * 200L)));
        policy.toString();
    }

    private static Path tempFile() {
        try {
            Path file = Files.createTempFile("policy", ".yaml");
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
