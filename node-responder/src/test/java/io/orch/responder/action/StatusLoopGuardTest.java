package io.orch.responder.action;

import io.orch.responder.WireData;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orch.protocol.envelope.Action;
import io.orch.protocol.envelope.Reply;
import io.orch.protocol.envelope.ReplyStatus;
import io.orch.protocol.envelope.Request;
import io.orch.responder.event.NodeEvents;
import io.orch.responder.executor.RebootExecutor;
import io.orch.responder.executor.RebootPlan;
import io.orch.responder.facts.NodeFacts;
import io.orch.responder.journal.FileJournal;
import io.orch.responder.journal.Journal;
import io.orch.responder.journal.JournalEntry;
import io.orch.responder.journal.LastReboot;
import io.orch.responder.journal.MemoryJournal;
import io.orch.responder.pending.PendingCheck;
import io.orch.responder.pending.PendingDetector;
import io.orch.protocol.payload.Reason;
import io.orch.responder.reboot.LockWait;
import io.orch.responder.reboot.RebootSequence;
import io.orch.responder.request.Replies;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code status} says about reboots orch made: the last one from the journal, the loop
 * guard's verdict on a pending-reboot now, and a reboot under way. Without a bus, on a fixed clock.
 */
class StatusLoopGuardTest {
    private static final Instant NOW = Instant.parse("2026-11-22T04:00:00Z");
    private static final String BOOT_ID = "5af5563e-0b1c-4d2e-8f3a-4b5c6d7e8f90";
    private static final Reason GLIBC = new Reason("reboot_required", "/run/reboot-required exists",
            Map.of("file", "/run/reboot-required", "packages", List.of("libc6")));

    @TempDir
    Path dir;

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final List<Reason> pendingNow = new ArrayList<>();
    /** Runs of the reboot thread, held so a reboot stays under way for as long as a test needs. */
    private final List<Runnable> rebootThread = new ArrayList<>();
    private Journal journal = new MemoryJournal();
    private Duration minInterval = Duration.ZERO;
    /** The sequence of the last {@link #action()}, for starting a reboot as the endpoint does after a reply. */
    private RebootSequence sequence;
    /** The facts of the last {@link #action()}. */
    private NodeFacts facts;

    private StatusAction action() {
        PendingDetector detector = new PendingDetector() {
            @Override
            public String name() {
                return "reboot_required";
            }

            @Override
            public Optional<Reason> detect() {
                return pendingNow.stream().findFirst();
            }
        };
        facts = new NodeFacts(Map.of("identity", "web01", "boot_id", BOOT_ID),
                new PendingCheck(List.of(detector)), clock);
        RebootExecutor executor = new RebootExecutor() {
            @Override
            public void reboot(RebootPlan plan) {
                throw new AssertionError("no reboot in this test");
            }

            @Override
            public String describe(RebootPlan plan) {
                return "nothing";
            }
        };
        sequence = new RebootSequence(journal, LockWait.none(), executor, rebootThread::add,
                event -> { }, new NodeEvents(facts.identity(), facts.bootId(), clock), clock);
        return new StatusAction(new Replies(facts.identity(), clock), facts.bootId(), journal, sequence, minInterval,
                clock, io.orch.responder.TestTrust.shared().node(facts.identity()));
    }

    /** A status asked by name with no filter, as the gate admits it. */
    private Reply status(StatusAction action) {
        Request request = Request.create("orch", Action.STATUS, null, Map.of(), "tester", "junit", NOW,
                Duration.ofSeconds(60));
        return action.handle(new ActionRequest(request, true, true, facts.forRequest(), new io.orch.protocol.envelope.Codec())).reply();
    }

    private Reply status() {
        return status(action());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Reply reply, String key) {
        return (Map<String, Object>) WireData.of(reply).get(key);
    }

    private static LastReboot rebooted(Duration ago, boolean loop, List<String> pendingAfter) {
        return new LastReboot("req-last", NOW.minus(ago), List.of(GLIBC), loop, "0a9b8c7d-old", BOOT_ID,
                pendingAfter);
    }

    @Test
    void nodeNeverRebootedByOrchHasNullLastRebootAClearGuardAndNothingUnderWay() {
        Reply reply = status();

        assertEquals(ReplyStatus.OK, reply.status(), reply.message());
        assertEquals("no reboot pending", reply.message());
        assertTrue(WireData.of(reply).containsKey("last_reboot"));
        assertNull(WireData.of(reply).get("last_reboot"));
        assertFalse(WireData.of(reply).containsKey("last_reboot_error"));
        Map<String, Object> clear = new LinkedHashMap<>();
        clear.put("state", "clear");
        clear.put("message", null);
        assertEquals(clear, map(reply, "loop_guard"));
        assertTrue(WireData.of(reply).containsKey("reboot_underway"));
        assertNull(WireData.of(reply).get("reboot_underway"));
    }

    @Test
    void lastRebootShowsRequestTimeBootIdsReasonsBeforeAndWhatWasStillPending() throws Exception {
        journal.recordLast(rebooted(Duration.ofDays(1), false, List.of()));

        Reply reply = status();

        Map<String, Object> last = new LinkedHashMap<>();
        last.put("request_id", "req-last");
        last.put("rebooted_at", "2026-11-21T04:00:00Z");
        last.put("old_boot_id", "0a9b8c7d-old");
        last.put("new_boot_id", BOOT_ID);
        last.put("reasons_before", List.of(Map.of("name", GLIBC.name(), "detail", GLIBC.detail(), "evidence",
                GLIBC.evidence())));
        last.put("pending_after", List.of());
        last.put("loop_suspected", false);
        assertEquals(last, map(reply, "last_reboot"));
        assertEquals("clear", map(reply, "loop_guard").get("state"));
        assertEquals("no reboot pending", reply.message());
    }

    @Test
    void lastRebootFromAJournalWrittenBeforeBootIdsWereKeptHasThemNull() throws Exception {
        journal.recordLast(new LastReboot("req-old", NOW.minus(Duration.ofDays(3)), List.of(), false));

        Map<String, Object> last = map(status(), "last_reboot");

        assertEquals("req-old", last.get("request_id"));
        assertNull(last.get("old_boot_id"));
        assertNull(last.get("new_boot_id"));
        assertNull(last.get("pending_after"));
    }

    @Test
    void sameReasonsStillPendingAfterTheLastRebootShowAsLoopSuspectedInDataAndMessage() throws Exception {
        pendingNow.add(GLIBC);
        journal.recordLast(rebooted(Duration.ofDays(1), true, List.of("reboot_required")));

        Reply reply = status();

        assertEquals(ReplyStatus.OK, reply.status(), reply.message());
        assertEquals("reboot pending: reboot_required; loop guard: loop_suspected", reply.message());
        assertEquals("loop_suspected", map(reply, "loop_guard").get("state"));
        String why = (String) map(reply, "loop_guard").get("message");
        assertTrue(why.startsWith("loop_suspected: the same reasons (reboot_required)"), why);
        assertTrue(why.contains("req-last"), why);
        assertEquals(true, map(reply, "last_reboot").get("loop_suspected"));
        assertEquals(List.of("reboot_required"), map(reply, "last_reboot").get("pending_after"));
    }

    @Test
    void loopSuspectedWithOtherReasonsNowIsClear() throws Exception {
        pendingNow.add(new Reason("reboot_required", "", Map.of("file", "/run/reboot-required",
                "packages", List.of("systemd"))));
        journal.recordLast(rebooted(Duration.ofDays(1), true, List.of("reboot_required")));

        Reply reply = status();

        assertEquals("reboot pending: reboot_required", reply.message());
        assertEquals("clear", map(reply, "loop_guard").get("state"));
    }

    @Test
    void lastRebootWithinTheMinimumIntervalShowsMinInterval() throws Exception {
        minInterval = Duration.ofMinutes(30);
        pendingNow.add(GLIBC);
        journal.recordLast(rebooted(Duration.ofSeconds(10), false, List.of()));

        Reply reply = status();

        assertEquals("reboot pending: reboot_required; loop guard: min_interval", reply.message());
        assertEquals("min_interval", map(reply, "loop_guard").get("state"));
        assertEquals("orch rebooted this node 10s ago (request req-last); reboot.min_interval_s is 1800",
                map(reply, "loop_guard").get("message"));
    }

    @Test
    void unreadableJournalIsReportedAndTheStatusStillAnswersWithTheGuardUnknown() throws Exception {
        journal = new FileJournal(dir);
        Files.writeString(dir.resolve("last-reboot.json"), "{\"request_id\":\"req-last\",\"rebooted_at\":\"soon\"}");
        pendingNow.add(GLIBC);

        Reply reply = status();

        assertEquals(ReplyStatus.OK, reply.status(), reply.message());
        assertEquals("reboot pending: reboot_required; loop guard: unknown", reply.message());
        assertFalse(WireData.of(reply).containsKey("last_reboot"), "unknown, which null (never rebooted) would not say");
        String error = (String) WireData.of(reply).get("last_reboot_error");
        assertTrue(error.contains("last-reboot.json") && error.contains("damaged"), error);
        assertEquals("unknown", map(reply, "loop_guard").get("state"));
        assertTrue(((String) map(reply, "loop_guard").get("message"))
                .startsWith("cannot read the reboot journal, so the loop guard cannot be checked"));
        assertEquals(true, WireData.of(reply).get("pending"), "the rest of the status is there");
    }

    @Test
    void rebootUnderWayIsNamedInDataAndMessage() throws Exception {
        pendingNow.add(GLIBC);
        StatusAction action = action();
        sequence.start(new JournalEntry("req-now", "alice", "jump1", BOOT_ID, List.of(GLIBC), 60, NOW,
                null, null), new RebootPlan("req-now", Duration.ofSeconds(60), "patch window",
                List.of("reboot_required")));

        Reply reply = status(action);

        assertEquals("req-now", WireData.of(reply).get("reboot_underway"));
        assertEquals("reboot pending: reboot_required; reboot under way (request req-now)", reply.message());
    }

    @Test
    void loopGuardAndRebootUnderWayAreBothInTheMessageInThatOrder() throws Exception {
        minInterval = Duration.ofHours(1);
        pendingNow.add(GLIBC);
        journal.recordLast(rebooted(Duration.ofMinutes(5), false, List.of()));
        StatusAction action = action();
        sequence.start(new JournalEntry("req-now", "", "", BOOT_ID, List.of(), 0, NOW, null, null),
                new RebootPlan("req-now", Duration.ZERO, "", List.of()));

        Reply reply = status(action);

        assertEquals("reboot pending: reboot_required; loop guard: min_interval; reboot under way (request req-now)",
                reply.message());
    }
}
