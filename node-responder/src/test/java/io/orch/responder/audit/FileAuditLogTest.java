package io.orch.responder.audit;

import io.orch.trust.Verifier;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileAuditLogTest {
    @TempDir
    Path dir;

    @Test
    void eachRequestIsOneJsonLineWithWhoWhatAndTheDecision() throws Exception {
        FileAuditLog audit = new FileAuditLog(dir.resolve("state/audit.jsonl"), FileAuditLog.DEFAULT_MAX_BYTES);
        audit.record(Instant.parse("2026-11-22T02:00:00Z"), "r1", new Verifier.Signer("alice", true), "jump1", "reboot",
                Map.of("fact", List.of("reboot_pending=true")), "scheduled", "reboot in 60s", List.of("kernel_update"));
        audit.record(Instant.parse("2026-11-22T02:00:01Z"), "r2", new Verifier.Signer("bob", false), "jump2", "status", Map.of(), "ok", "", List.of());

        List<String> lines = Files.readAllLines(audit.file());
        assertEquals(2, lines.size());
        JsonNode first = new ObjectMapper().readTree(lines.get(0));
        assertEquals("r1", first.get("request_id").asText());
        assertEquals("alice", first.get("caller").asText());
        assertFalse(first.has("claimed_caller"));
        JsonNode second = new ObjectMapper().readTree(lines.get(1));
        assertTrue(second.get("caller").isNull(), "an unverified claim is never the caller: " + second);
        assertEquals("bob", second.get("claimed_caller").asText());
        assertEquals("reboot", first.get("action").asText());
        assertEquals("scheduled", first.get("decision").asText());
        assertEquals("reboot_pending=true", first.get("filter").get("fact").get(0).asText());
        assertEquals("kernel_update", first.get("reasons").get(0).asText());
    }

    @Test
    void aFullLogMovesAsideInsteadOfGrowingForever() throws Exception {
        FileAuditLog audit = new FileAuditLog(dir.resolve("audit.jsonl"), 400);
        for (int i = 0; i < 20; i++) {
            audit.record(Instant.now(), "r" + i, new Verifier.Signer("alice", true), "jump1", "ping", Map.of(), "ok", "pong", List.of());
        }
        assertTrue(Files.size(dir.resolve("audit.jsonl")) <= 400);
        assertTrue(Files.exists(dir.resolve("audit.jsonl.1")));
        List<String> current = Files.readAllLines(dir.resolve("audit.jsonl"));
        assertTrue(current.get(current.size() - 1).contains("\"r19\""));
    }

    @Test
    void anUnwritableLogNeverStopsTheRequest() throws Exception {
        Path blocker = dir.resolve("not-a-dir");
        Files.writeString(blocker, "x");
        new FileAuditLog(blocker.resolve("audit.jsonl"), 1000).record(Instant.now(), "r", new Verifier.Signer("", false), "", "ping", Map.of(),
                "ok", "", List.of());
    }
}
