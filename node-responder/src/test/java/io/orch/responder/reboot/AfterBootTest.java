package io.orch.responder.reboot;

import io.orch.responder.WireData;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orch.protocol.envelope.Event;
import io.orch.protocol.envelope.EventType;
import io.orch.responder.event.NodeEvents;
import io.orch.responder.journal.FileJournal;
import io.orch.responder.journal.Journal;
import io.orch.responder.journal.JournalEntry;
import io.orch.responder.journal.LastReboot;
import io.orch.responder.journal.MemoryJournal;
import io.orch.protocol.payload.Reason;
import io.orch.responder.pending.PendingState;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settling the journal at start: what a promise became once the node is back. */
class AfterBootTest {
    private static final Instant SCHEDULED = Instant.parse("2024-05-01T22:00:00Z");
    private static final Instant EXECUTED = SCHEDULED.plusSeconds(2);
    private static final Instant STOPPED = SCHEDULED.plusSeconds(62);
    private static final Instant NOW = SCHEDULED.plusSeconds(152);
    private static final Instant BOOT_TIME = SCHEDULED.plusSeconds(100);
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final Reason GLIBC = new Reason("reboot_required", "/run/reboot-required exists",
            Map.of("file", "/run/reboot-required"));
    private static final PendingState NOTHING = new PendingState(List.of(), Map.of());
    private static final PendingState STILL = new PendingState(List.of(GLIBC), Map.of());

    @TempDir
    Path dir;

    private static JournalEntry promised(String bootId, Instant executed, Instant stopped) {
        return new JournalEntry("req-1", "alice", "jumphost", bootId, List.of(GLIBC), 60, SCHEDULED, executed,
                stopped);
    }

    private static Event settle(Journal journal, String bootId, PendingState now) throws Exception {
        return AfterBoot.settle(journal, new NodeEvents("web01", bootId, CLOCK), BOOT_TIME, () -> now, CLOCK)
                .orElseThrow();
    }

    @Test
    void emptyJournalSettlesToNoEventAndNeverReadsPending() throws Exception {
        AtomicInteger read = new AtomicInteger();
        Supplier<PendingState> pending = () -> {
            read.incrementAndGet();
            return NOTHING;
        };

        assertEquals(Optional.empty(), AfterBoot.settle(new MemoryJournal(), new NodeEvents("web01", "boot-b", CLOCK),
                BOOT_TIME, pending, CLOCK));
        assertEquals(0, read.get());
    }

    @Test
    void newBootIdIsRebootedWithBothBootIdsDowntimeAndPendingState() throws Exception {
        FileJournal journal = new FileJournal(dir);
        journal.record(promised("boot-a", EXECUTED, STOPPED));

        Event event = settle(journal, "boot-b", NOTHING);

        assertEquals(EventType.REBOOTED, event.type());
        assertEquals("web01", event.node());
        assertEquals("boot-b", event.bootId());
        assertEquals("req-1", event.requestId());
        assertEquals(NOW, event.time());
        assertEquals("boot-a", WireData.of(event).get("old_boot_id"));
        assertEquals("boot-b", WireData.of(event).get("new_boot_id"));
        assertEquals(90.0, ((Number) WireData.of(event).get("downtime_s")).doubleValue(), "from the stop to now");
        assertEquals(BOOT_TIME.toString(), WireData.of(event).get("boot_time"));
        assertEquals(false, WireData.of(event).get("pending"));
        assertEquals(List.of(), WireData.of(event).get("reasons"));
        assertEquals(false, WireData.of(event).get("loop_suspected"));
    }

    @Test
    void rebootedSettlementClearsThePromiseAndRecordsTheLastReboot() throws Exception {
        FileJournal journal = new FileJournal(dir);
        journal.record(promised("boot-a", EXECUTED, STOPPED));

        settle(journal, "boot-b", NOTHING);

        assertEquals(Optional.empty(), journal.pending());
        assertEquals(Optional.of(new LastReboot("req-1", NOW, List.of(GLIBC), false, "boot-a", "boot-b",
                List.of())), journal.last());
    }

    @Test
    void downtimeCountsFromTheExecutorStartWhenTheStopWasNotNoted() throws Exception {
        MemoryJournal journal = new MemoryJournal();
        journal.record(promised("boot-a", EXECUTED, null));

        Event event = settle(journal, "boot-b", NOTHING);

        assertEquals(150.0, ((Number) WireData.of(event).get("downtime_s")).doubleValue());
    }

    @Test
    void sameReasonsStillPendingAfterTheRebootAreALoopSuspicion() throws Exception {
        FileJournal journal = new FileJournal(dir);
        journal.record(promised("boot-a", EXECUTED, STOPPED));

        Event event = settle(journal, "boot-b", STILL);

        assertEquals(EventType.REBOOTED, event.type());
        assertEquals(true, WireData.of(event).get("pending"));
        assertEquals(List.of("reboot_required"), WireData.reasonNames(event));
        assertEquals(true, WireData.of(event).get("loop_suspected"));
        assertTrue(journal.last().orElseThrow().loopSuspected());
    }

    @Test
    void otherReasonsPendingAfterTheRebootAreNoLoop() throws Exception {
        MemoryJournal journal = new MemoryJournal();
        journal.record(promised("boot-a", EXECUTED, STOPPED));
        PendingState other = new PendingState(List.of(new Reason("kernel_update", "",
                Map.of("running", "6.1.0-10-amd64", "newest", "6.1.0-12-amd64"))), Map.of());

        Event event = settle(journal, "boot-b", other);

        assertEquals(true, WireData.of(event).get("pending"));
        assertEquals(false, WireData.of(event).get("loop_suspected"));
        assertFalse(journal.last().orElseThrow().loopSuspected());
    }

    @Test
    void sameBootIdIsRebootInterruptedAndNothingIsRecordedAsRebooted() throws Exception {
        FileJournal journal = new FileJournal(dir);
        journal.record(promised("boot-a", EXECUTED, STOPPED));

        Event event = settle(journal, "boot-a", STILL);

        assertEquals(EventType.REBOOT_INTERRUPTED, event.type());
        assertEquals("req-1", event.requestId());
        assertEquals("boot-a", event.bootId());
        assertEquals(SCHEDULED.toString(), WireData.of(event).get("scheduled_at"));
        assertEquals(EXECUTED.toString(), WireData.of(event).get("executed_at"));
        assertTrue(WireData.of(event).get("message").toString().contains("will not be retried"), WireData.of(event).toString());
        assertEquals(Optional.empty(), journal.pending());
        assertEquals(Optional.empty(), journal.last(), "no reboot happened, so the loop guard learns nothing");
    }

    @Test
    void promiseStillWaitingForAConfigRunIsInterruptedWithNoExecutionTime() throws Exception {
        MemoryJournal journal = new MemoryJournal();
        journal.record(promised("boot-a", null, null));

        Event event = settle(journal, "boot-a", STILL);

        assertEquals(EventType.REBOOT_INTERRUPTED, event.type());
        assertNull(WireData.of(event).get("executed_at"));
    }
}
