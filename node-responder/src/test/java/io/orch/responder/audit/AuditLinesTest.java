package io.orch.responder.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orch.protocol.Limits;
import io.orch.trust.Verifier;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Audit lines: bounded, every character a terminal could act on escaped, and read back as written. */
class AuditLinesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T = Instant.parse("2026-12-01T05:00:00Z");
    /** What a terminal acts on or hides: ESC sequences (title, clear), BEL, DEL, C1 CSI, bidi, zero-width, BOM, separators. */
    private static final String NASTY = "\u001b]0;owned\u0007\u001b[2J\u007f\u009b31m\u0085"
            + "\u202e\u2066\u2067\u2068\u2069\u202a\u202b\u202c\u202d\u200e\u200f\u061c"
            + "\u200b\u200c\u200d\u2060\ufeff\u00ad\u2028\u2029\ue000";

    private final AuditLines lines = new AuditLines();

    private static AuditEntry entry(String requestId, Verifier.Signer caller, String sender, String action,
                                    Map<String, Object> filter, String message, List<String> reasons) {
        return new AuditEntry(T, requestId, caller, true, sender, action, filter, "denied", "denied", message,
                reasons);
    }

    private static AuditEntry plain(String message) {
        return entry("r1", new Verifier.Signer("alice", true), "jump1", "reboot",
                Map.of("fact", List.of("reboot_pending=true")), message, List.of("kernel_update"));
    }

    private static int bytes(String line) {
        return line.getBytes(StandardCharsets.UTF_8).length + 1; // with its newline
    }

    @Test
    void everyCharacterATerminalCouldActOnIsEscapedAndReadsBackAsSent() throws Exception {
        String message = "hello " + NASTY + " end";

        String line = lines.line(plain(message));

        for (char c : line.toCharArray()) {
            assertTrue(c >= 0x20 && c < 0x7F, "only printable ASCII here, got U+" + Integer.toHexString(c) + " in " + line);
        }
        assertTrue(line.contains("\\u202E"), line);
        assertTrue(line.contains("\\u001B]0;owned\\u0007"), line);
        assertTrue(line.contains("\\u007F\\u009B31m"), line);
        assertEquals(message, JSON.readTree(line).get("message").asText(), "jq shows what was sent");
        assertFalse(line.contains("truncated"), line);
    }

    @Test
    void readableTextStaysReadable() throws Exception {
        String message = "caf\u00e9 \u65e5\u672c \u0416 \u2192 ok";

        String line = lines.line(plain(message));

        assertTrue(line.contains(message), line);
    }

    @Test
    void charactersBeyondTheBasicPlaneAreEscapedAsPairsAndReadBackWhole() throws Exception {
        String message = "emoji \ud83d\ude00 and a lone \ud800 surrogate";

        String line = lines.line(plain(message));

        assertTrue(line.contains("\\uD83D\\uDE00"), line);
        assertEquals(message, JSON.readTree(line).get("message").asText());
    }

    @Test
    void escapedBytesAgreesWithWhatTheWriterWrites() {
        Random random = new Random(42);
        char[] pool = ("aZ09 \"\\/\b\t\n\f\r\u0000\u001f\u007f\u0080\u009f\u00a0\u00e9\u0416\u2028\u202e\u200b\ufeff"
                + "\ue000\ud83d\ude00\ud800\u65e5\u0378\uffff").toCharArray();
        for (int round = 0; round < 2_000; round++) {
            StringBuilder text = new StringBuilder();
            for (int i = random.nextInt(40); i > 0; i--) {
                text.append(pool[random.nextInt(pool.length)]);
            }
            String quoted = lines.quoted(text.toString());
            assertEquals(quoted.getBytes(StandardCharsets.UTF_8).length - 2, AuditLines.escapedBytes(text),
                    "for " + quoted);
        }
    }

    @Test
    void aHugeRequestMakesABoundedLineThatSaysItWasCut() throws Exception {
        String big = "x".repeat(Limits.MAX_AUDIT_TEXT_BYTES * 300);
        Map<String, Object> filter = Map.of("fact", List.of("name=" + big), "identity", List.of(big));

        String line = lines.line(entry("r1", new Verifier.Signer(big, false), big, "discover", filter, big,
                Collections.nCopies(5_000, "kernel_update")));

        assertTrue(bytes(line) <= Limits.MAX_AUDIT_LINE_BYTES, bytes(line) + " bytes");
        JsonNode node = JSON.readTree(line);
        assertTrue(node.get("truncated").asBoolean(), line);
        assertTrue(node.get("filter").isTextual(), "a filter over its budget is kept as cut JSON text: " + line);
        assertTrue(node.get("filter").asText().startsWith("{\""), line);
        assertTrue(node.get("filter").asText().endsWith(" chars in all]"), line);
        assertTrue(node.get("message").asText().endsWith("[truncated: " + big.length() + " chars in all]"), line);
        assertTrue(node.get("claimed_caller").asText().contains("[truncated: "), line);
        assertTrue(node.get("sender").asText().contains("[truncated: "), line);
        JsonNode reasons = node.get("reasons");
        assertTrue(reasons.size() > 10, line);
        assertTrue(reasons.get(reasons.size() - 1).asText().matches("\\[\\d+ more]"), line);
        assertEquals("discover", node.get("action").asText());
        assertEquals("denied", node.get("decision").asText());
    }

    @Test
    void theWorstLineStillFitsWithEveryFieldKept() throws Exception {
        // Every character of every field costs the most it can (6 bytes escaped), every field over its budget.
        String worst = "\u202e".repeat(10_000);
        AuditEntry entry = new AuditEntry(T, worst, new Verifier.Signer(worst, false), true, worst, worst,
                Map.of(worst, List.of(worst)), worst, worst, false, worst, Collections.nCopies(1_000, worst));

        String line = lines.line(entry);

        assertTrue(bytes(line) <= Limits.MAX_AUDIT_LINE_BYTES, bytes(line) + " bytes");
        JsonNode node = JSON.readTree(line);
        for (String field : List.of("request_id", "claimed_caller", "sender", "action", "filter", "decision", "reply",
                "reply_confirmed", "message", "reasons")) {
            assertTrue(node.hasNonNull(field), field + " kept in " + line);
        }
        assertFalse(line.contains("fields left out"), line);
    }

    @Test
    void aShortLineIsWrittenWhole() throws Exception {
        JsonNode node = JSON.readTree(lines.line(plain("reboot in 60s")));

        assertFalse(node.has("truncated"));
        assertEquals("reboot_pending=true", node.get("filter").get("fact").get(0).asText());
        assertEquals("reboot in 60s", node.get("message").asText());
        assertEquals("alice", node.get("caller").asText());
        assertFalse(node.has("claimed_caller"));
    }
}
