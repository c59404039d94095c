package io.orch.responder.audit;

import io.orch.responder.TestClock;
import io.orch.responder.state.StateFolder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orch.protocol.Limits;
import io.orch.responder.LogCapture;
import io.orch.trust.Verifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileAuditLogTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Verifier.Signer ALICE = new Verifier.Signer("alice", true);

    @TempDir
    Path dir;

    private final TestClock clock = new TestClock(Instant.now());

    @BeforeEach
    void clearLog() {
        LogCapture.of(FileAuditLog.class).clear();
    }

    private static AuditEntry line(String id, String action, String decision, boolean authenticated) {
        return new AuditEntry(Instant.now(), id, ALICE, authenticated, "jump1", action, Map.of(), decision, decision,
                "said " + decision, List.of());
    }

    private static List<JsonNode> read(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file)) {
                out.add(JSON.readTree(line));
            }
        }
        return out;
    }

    /** Request ids in {@code file} and its generations. */
    private static List<String> ids(AuditFile file) throws IOException {
        List<String> ids = new ArrayList<>();
        for (int n = 0; n == 0 || Files.exists(file.generation(n)); n++) {
            read(file.generation(n)).forEach(line -> ids.add(line.get("request_id").asText()));
        }
        return ids;
    }

    private static long totalBytes(Path file) throws IOException {
        long total = 0;
        try (var files = Files.list(file.getParent())) {
            for (Path p : files.filter(p -> p.getFileName().toString().startsWith(file.getFileName().toString()))
                    .toList()) {
                total += Files.size(p);
            }
        }
        return total;
    }

    @Test
    void eachRequestIsOneJsonLineWithWhoWhatAndTheDecision() throws Exception {
        FileAuditLog audit = new FileAuditLog(dir.resolve("state"), clock);
        audit.record(new AuditEntry(Instant.parse("2026-11-22T02:00:00Z"), "r1", ALICE, true, "jump1", "reboot",
                Map.of("fact", List.of("reboot_pending=true")), "scheduled", "scheduled", "reboot in 60s",
                List.of("kernel_update")));
        audit.record(new AuditEntry(Instant.parse("2026-11-22T02:00:01Z"), "r2", new Verifier.Signer("bob", false),
                false, "jump2", "status", Map.of(), "ok", "ok", "", List.of()));

        List<JsonNode> lines = read(audit.file());
        assertEquals(dir.resolve("state/audit.jsonl"), audit.file());
        assertEquals(2, lines.size());
        JsonNode first = lines.get(0);
        assertEquals("r1", first.get("request_id").asText());
        assertEquals("alice", first.get("caller").asText());
        assertFalse(first.has("claimed_caller"));
        JsonNode second = lines.get(1);
        assertTrue(second.get("caller").isNull(), "an unverified claim is never the caller: " + second);
        assertEquals("bob", second.get("claimed_caller").asText());
        assertEquals("reboot", first.get("action").asText());
        assertEquals("scheduled", first.get("decision").asText());
        assertEquals("scheduled", first.get("reply").asText());
        assertEquals("reboot_pending=true", first.get("filter").get("fact").get(0).asText());
        assertEquals("kernel_update", first.get("reasons").get(0).asText());
        assertEquals(List.of("r1"), read(audit.decisionsFile()).stream().map(l -> l.get("request_id").asText()).toList(),
                "the reboot decision is in its own file too, the status request is not");
    }

    @Test
    void signedLinesAlwaysGoToTheSystemLogAndOthersAFewAMinuteCounted() throws Exception {
        LogCapture system = LogCapture.of(FileAuditLog.SYSTEM_LOG);
        system.clear();
        FileAuditLog audit = new FileAuditLog(dir, clock);

        audit.record(line("r-syslog", "ping", "ok", true));
        String written = Files.readAllLines(audit.file()).get(0);
        assertEquals(List.of("INFO " + written), system.lines());

        int unsigned = Limits.MAX_AUDIT_UNAUTHENTICATED_LOG_LINES_PER_MINUTE + 100;
        for (int i = 0; i < unsigned; i++) {
            audit.record(line("forged-" + i, "reboot", "denied", false));
            audit.record(line("signed-" + i, "ping", "ok", true));
        }
        List<String> copied = system.lines();
        assertEquals(1 + unsigned, copied.stream().filter(l -> l.contains("\"signed-") || l.contains("r-syslog")).count(),
                "every signed line is copied");
        assertEquals(Limits.MAX_AUDIT_UNAUTHENTICATED_LOG_LINES_PER_MINUTE,
                copied.stream().filter(l -> l.contains("\"forged-")).count(), "the others a few a minute");
        assertEquals(1 + 2 * unsigned, Files.readAllLines(audit.file()).size(), "the file has every line");

        clock.advance(Duration.ofMinutes(1));
        audit.record(line("forged-later", "reboot", "denied", false));
        assertTrue(system.contains("WARN", "100 more of 'unauthenticated audit line' not logged one by one"),
                system.lines().subList(system.lines().size() - 2, system.lines().size()).toString());
        assertTrue(system.contains("INFO", "\"forged-later\""));
    }

    @Test
    void aFullLogKeepsGenerationsWithinItsTotalSize() throws Exception {
        AuditFile.Budget budget = new AuditFile.Budget(1_000, 3_000, Duration.ofDays(366));
        FileAuditLog audit = new FileAuditLog(dir, budget, budget, clock);
        for (int i = 0; i < 200; i++) {
            audit.record(line("r" + i, "ping", "ok", true));
        }

        assertTrue(Files.size(audit.file()) <= 1_000);
        assertTrue(Files.exists(dir.resolve("audit.jsonl.1")));
        assertTrue(Files.exists(dir.resolve("audit.jsonl.2")));
        assertTrue(totalBytes(audit.file()) <= 3_000, totalBytes(audit.file()) + " bytes");
        List<String> current = Files.readAllLines(audit.file());
        assertTrue(current.get(current.size() - 1).contains("\"r199\""));
        List<String> kept = ids(generations(audit.file(), budget));
        assertTrue(kept.contains("r199") && !kept.contains("r0"), "the newest kept, the oldest gone: " + kept);
    }

    @Test
    void aFloodThatRotatesTheLogAndTheRefusalsAwayLeavesThePromises() throws Exception {
        AuditFile.Budget small = new AuditFile.Budget(2_000, 6_000, Duration.ofDays(366));
        FileAuditLog audit = new FileAuditLog(dir, small, small, clock);
        audit.record(line("the-reboot", "reboot", "scheduled", true));
        audit.record(line("the-cancel", "cancel", "cancelled", true));
        audit.record(line("not-carried-out", "reboot", "scheduled", true).replied(false).refused("not confirmed"));
        for (int i = 0; i < 1_000; i++) {
            audit.record(line("cheap-" + i, "ping", "ok", true));
            // Unsigned or refused before the signature check: anyone can send these.
            audit.record(line("forged-" + i, "reboot", "denied", false));
            // Signed and refused, over hours: a certificate holder the policy refuses.
            audit.record(line("refused-" + i, "reboot", "denied", true));
            audit.record(line("cancel-refused-" + i, "cancel", "failed", true));
            clock.advance(Duration.ofSeconds(10));
        }

        List<String> all = ids(generations(audit.file(), small));
        assertFalse(all.contains("the-reboot"), "the flood rotated the general log");
        List<String> refusals = ids(generations(audit.refusalsFile(), small));
        assertFalse(refusals.contains("refused-0"), "and the refusals: " + refusals);
        assertTrue(refusals.contains("refused-999"), refusals.toString());
        assertEquals(List.of("the-reboot", "the-cancel", "not-carried-out"),
                ids(generations(audit.decisionsFile(), small)), "no refusal shares the promises' budget");
    }

    @Test
    void refusedRebootsGoToTheirOwnFileAFewAMinuteAndEveryPromiseToThePromises() throws Exception {
        FileAuditLog audit = new FileAuditLog(dir, clock);
        audit.record(line("scheduled-1", "reboot", "scheduled", true));
        for (int i = 0; i < 100; i++) {
            audit.record(line("denied-" + i, "reboot", "denied", true));
        }
        audit.record(line("not-carried-out", "reboot", "scheduled", true).refused("request expired"));
        audit.record(line("cancelled-1", "cancel", "cancelled", true));
        clock.advance(Duration.ofMinutes(1));
        audit.record(line("denied-later", "reboot", "denied", true));

        List<String> promises = read(audit.decisionsFile()).stream().map(l -> l.get("request_id").asText()).toList();
        assertEquals(List.of("scheduled-1", "not-carried-out", "cancelled-1"), promises);
        List<String> refusals = read(audit.refusalsFile()).stream().map(l -> l.get("request_id").asText()).toList();
        assertEquals(Limits.MAX_AUDIT_REBOOT_REFUSALS_PER_MINUTE + 1, refusals.size(), refusals.toString());
        assertTrue(refusals.containsAll(List.of("denied-0", "denied-later")), refusals.toString());
        assertEquals(dir.resolve(FileAuditLog.REFUSALS_FILE_NAME), audit.refusalsFile());
        assertEquals(104, read(audit.file()).size(), "the general log has every one");
        JsonNode refused = read(audit.decisionsFile()).get(1);
        assertEquals("refused", refused.get("decision").asText());
        assertEquals("scheduled", refused.get("reply").asText());
        assertFalse(refused.has("reply_confirmed"), "the broker confirmed it, too late: " + refused);
        assertEquals("request expired", refused.get("message").asText());
    }

    @Test
    void anUnconfirmedScheduledReplyIsKeptMarkedUnconfirmedAndIsStillAPromise() throws Exception {
        FileAuditLog audit = new FileAuditLog(dir, clock);
        for (int i = 0; i < 100; i++) {
            audit.record(line("denied-" + i, "reboot", "denied", true)); // this minute's refusals used up
        }

        audit.record(line("unconfirmed", "reboot", "scheduled", true).replied(false)
                .refused("scheduled reply not confirmed by the broker: no confirmation within 10000 ms"));
        audit.record(line("pong", "ping", "ok", true).replied(false));

        JsonNode promise = read(audit.decisionsFile()).get(0);
        assertEquals("unconfirmed", promise.get("request_id").asText());
        assertEquals("refused", promise.get("decision").asText());
        assertEquals("scheduled", promise.get("reply").asText(), "the broker may have delivered it: " + promise);
        assertFalse(promise.get("reply_confirmed").asBoolean(true), promise.toString());
        assertTrue(promise.get("message").asText().startsWith("scheduled reply not confirmed"), promise.toString());
        List<JsonNode> all = read(audit.file());
        JsonNode pong = all.get(all.size() - 1);
        assertEquals("ok", pong.get("decision").asText(), "nothing was to follow a ping's reply");
        assertFalse(pong.get("reply_confirmed").asBoolean(true), pong.toString());
        assertFalse(all.get(0).has("reply_confirmed"), "only an unconfirmed reply is marked: " + all.get(0));
    }

    @Test
    void generationsPastTheAgeLimitAreDeletedWithinTheHour() throws Exception {
        AuditFile.Budget budget = new AuditFile.Budget(300, 1_000_000, Duration.ofDays(30));
        FileAuditLog audit = new FileAuditLog(dir, budget, budget, clock);
        for (int i = 0; i < 10; i++) {
            audit.record(line("r" + i, "ping", "ok", true));
        }
        assertTrue(Files.exists(dir.resolve("audit.jsonl.3")), "several generations to age");
        // Generation 2 and older last written 31 days ago; generation 1 yesterday.
        FileTime old = FileTime.from(clock.instant().minus(Duration.ofDays(31)));
        for (int n = 2; Files.exists(dir.resolve("audit.jsonl." + n)); n++) {
            Files.setLastModifiedTime(dir.resolve("audit.jsonl." + n), old);
        }
        Path first = dir.resolve("audit.jsonl.1");
        Files.setLastModifiedTime(first, FileTime.from(clock.instant().minus(Duration.ofDays(1))));
        List<String> yesterday = read(first).stream().map(l -> l.get("request_id").asText()).toList();
        String current = read(audit.file()).toString();
        List<String> older = ids(generations(audit.file(), budget)).stream()
                .filter(id -> !yesterday.contains(id) && !current.contains("\"" + id + "\"")).toList();

        clock.advance(Duration.ofMinutes(61));
        audit.record(line("x", "ping", "ok", true));

        List<String> kept = ids(generations(audit.file(), budget));
        assertTrue(kept.containsAll(yesterday), kept + " keeps " + yesterday);
        assertFalse(older.isEmpty());
        assertTrue(older.stream().noneMatch(kept::contains), kept + " keeps none of " + older);
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                assertTrue(Files.getLastModifiedTime(p).toInstant().isAfter(clock.instant().minus(Duration.ofDays(30))),
                        p + " is past the age limit");
            }
        }
    }

    @Test
    void aLogNotWrittenForLongerThanTheAgeLimitStartsAfresh() throws Exception {
        AuditFile.Budget budget = new AuditFile.Budget(100_000, 1_000_000, Duration.ofDays(30));
        FileAuditLog audit = new FileAuditLog(dir, budget, budget, clock);
        audit.record(line("ancient", "ping", "ok", true));
        Files.setLastModifiedTime(audit.file(), FileTime.from(clock.instant().minus(Duration.ofDays(40))));

        clock.advance(Duration.ofHours(2));
        audit.record(line("new", "ping", "ok", true));

        assertEquals(List.of("new"), read(audit.file()).stream().map(l -> l.get("request_id").asText()).toList());
    }

    @Test
    void anUnwritableLogNeverStopsTheRequestAndWarnsOnceAMinute() throws Exception {
        // Root writes anywhere, so "unwritable" is a state folder that is a plain file.
        Path blocker = dir.resolve("not-a-dir");
        Files.writeString(blocker, "x");
        FileAuditLog audit = new FileAuditLog(blocker, clock);
        LogCapture log = LogCapture.of(FileAuditLog.class);

        for (int i = 0; i < 100; i++) {
            audit.record(line("r" + i, "ping", "ok", true));
        }
        assertEquals(1, log.lines().stream().filter(l -> l.startsWith("WARN cannot append to audit log")).count(),
                log.lines().toString());

        clock.advance(Duration.ofMinutes(1));
        audit.record(line("later", "ping", "ok", true));
        assertTrue(log.contains("WARN", "cannot append to audit log", "(100 failed writes since the last such line)"),
                log.lines().toString());
    }

    /** The generations of {@code file} as the audit keeps them. */
    private AuditFile generations(Path file, AuditFile.Budget budget) {
        return new AuditFile(StateFolder.unchecked(file.getParent()), file.getFileName().toString(), budget, clock);
    }
}
