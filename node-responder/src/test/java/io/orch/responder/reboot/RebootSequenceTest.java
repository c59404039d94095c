package io.orch.responder.reboot;

import io.orch.protocol.Limits;
import io.orch.protocol.payload.Reason;

import io.orch.responder.TestClock;
import io.orch.responder.WireData;
import static io.orch.responder.Fixture.write;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orch.protocol.envelope.Event;
import io.orch.protocol.envelope.EventType;
import io.orch.responder.event.EventSink;
import io.orch.responder.event.NodeEvents;
import io.orch.responder.executor.RebootException;
import io.orch.responder.executor.RebootExecutor;
import io.orch.responder.executor.RebootPlan;
import io.orch.responder.journal.FileJournal;
import io.orch.responder.journal.Journal;
import io.orch.responder.journal.JournalEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sequence from a confirmed reply to the executor, without a bus: journal, locks, the
 * rebooting event, the executor, failures, cancel (including cancels that race the reboot) and stop.
 */
class RebootSequenceTest {
    private static final String LOCK = "/var/lib/puppet/state/agent_catalog_run.lock";
    private static final Duration LONG = Duration.ofMinutes(10);

    private static final NodeEvents EVENTS = new NodeEvents("web01", "boot-a", Clock.systemUTC());

    @TempDir
    Path dir;

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final Recording executor = new Recording();
    private final ExecutorService rebootThread = Executors.newSingleThreadExecutor();
    private EventSink sink = events::add;

    @AfterEach
    void stopRebootThread() throws Exception {
        rebootThread.shutdownNow();
        assertTrue(rebootThread.awaitTermination(30, TimeUnit.SECONDS));
    }

    /** Records plans and cancels; {@link #onReboot} may block or fail. */
    static final class Recording implements RebootExecutor {
        final List<String> log = Collections.synchronizedList(new ArrayList<>());
        final List<RebootPlan> plans = Collections.synchronizedList(new ArrayList<>());
        final List<RebootPlan> cancels = Collections.synchronizedList(new ArrayList<>());
        volatile ThrowingRunnable onReboot = () -> { };
        volatile ThrowingRunnable onCancel = () -> { };

        interface ThrowingRunnable {
            void run() throws RebootException;
        }

        @Override
        public void reboot(RebootPlan plan) throws RebootException {
            log.add("reboot started");
            onReboot.run();
            plans.add(plan);
            log.add("reboot returned");
        }

        @Override
        public void cancel(RebootPlan plan) throws RebootException {
            log.add("cancel");
            onCancel.run();
            cancels.add(plan);
        }

        @Override
        public String describe(RebootPlan plan) {
            return "recorded";
        }
    }

    private static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10));
    }

    private FileJournal journal() {
        return new FileJournal(dir.resolve("state"));
    }

    private RebootSequence sequence(Journal journal, LockWait locks) {
        return new RebootSequence(journal, locks, executor, rebootThread, e -> sink.publish(e), EVENTS,
                Clock.systemUTC());
    }

    private RebootSequence sequence(Journal journal) {
        return sequence(journal, LockWait.none());
    }

    private LockWait puppetLock(Duration maxWait) {
        return new LockWait(dir.resolve("root"), List.of(LOCK), maxWait, Duration.ofMillis(20));
    }

    private Path lockFile() {
        return write(dir.resolve("root"), LOCK.substring(1), "4242\n");
    }

    private static JournalEntry entry(String id) {
        return new JournalEntry(id, "alice", "jumphost", "boot-a", List.of(new Reason("reboot_required", "", Map.of())), 60,
                Instant.now(), null, null);
    }

    private static RebootPlan plan(String id) {
        return new RebootPlan(id, Duration.ofSeconds(60), "patch night", List.of("reboot_required"));
    }

    private Event event(EventType type) {
        return eventually().until(() -> events.stream().filter(e -> e.type() == type).findFirst(),
                Optional::isPresent).orElseThrow();
    }

    private List<EventType> types() {
        return events.stream().map(Event::type).toList();
    }

    private void drain() throws InterruptedException {
        rebootThread.shutdown();
        assertTrue(rebootThread.awaitTermination(30, TimeUnit.SECONDS), "the reboot thread finished");
    }

    @Test
    void journalIsWrittenAndRebootingAnnouncedBeforeTheExecutorStarts() throws Exception {
        FileJournal journal = journal();
        RebootSequence sequence = sequence(journal);
        AtomicReference<Optional<JournalEntry>> journalAtReboot = new AtomicReference<>();
        AtomicReference<List<EventType>> eventsAtReboot = new AtomicReference<>();
        executor.onReboot = () -> {
            try {
                journalAtReboot.set(journal.pending());
            } catch (java.io.IOException e) {
                throw new RebootException("journal unreadable", e);
            }
            eventsAtReboot.set(types());
        };

        sequence.start(entry("req-1"), plan("req-1"));
        drain();

        assertEquals(List.of(plan("req-1")), executor.plans);
        JournalEntry journalled = journalAtReboot.get().orElseThrow();
        assertEquals("req-1", journalled.requestId());
        assertNotNull(journalled.executedAt(), "the journal says the executor was started, for the downtime");
        assertEquals(List.of(EventType.REBOOTING), eventsAtReboot.get());
        Event rebooting = events.get(0);
        assertEquals("req-1", rebooting.requestId());
        assertEquals("boot-a", rebooting.bootId());
        assertEquals(60L, ((Number) WireData.of(rebooting).get("delay_s")).longValue());
        assertEquals(List.of("reboot_required"), WireData.reasonNames(rebooting));
        assertEquals("req-1", sequence.underway(), "under way until the machine goes down");
        assertEquals("req-1", journal.pending().orElseThrow().requestId(), "kept for the report after boot");
    }

    @Test
    void journalThatCannotBeWrittenFailsTheRebootClosed() throws Exception {
        Path notAFolder = Files.writeString(dir.resolve("state"), "a file where the folder should be");
        RebootSequence sequence = sequence(new FileJournal(notAFolder.resolve("orch")));

        sequence.start(entry("req-1"), plan("req-1"));
        drain();

        assertEquals(List.of(EventType.REBOOT_FAILED), types());
        assertTrue(WireData.of(events.get(0)).get("error").toString().startsWith("cannot write the journal"),
                events.get(0).data().toString());
        assertEquals(List.of(), executor.log, "never started without a journal");
        assertNull(sequence.underway());
    }

    @Test
    void executorFailureIsRebootFailedClearsTheJournalAndFreesTheNodeForAnotherTry() throws Exception {
        FileJournal journal = journal();
        RebootSequence sequence = sequence(journal);
        executor.onReboot = () -> {
            throw new RebootException("reboot command exited 1: [shutdown, -r, +1]");
        };

        sequence.start(entry("req-1"), plan("req-1"));
        drain();

        assertEquals(List.of(EventType.REBOOTING, EventType.REBOOT_FAILED), types());
        assertEquals("reboot command exited 1: [shutdown, -r, +1]", WireData.of(events.get(1)).get("error"));
        assertEquals("req-1", events.get(1).requestId());
        assertEquals(Optional.empty(), journal.pending());
        assertNull(sequence.underway());
    }

    @Test
    void secondStartWhileARebootIsUnderWayIsRebootFailedAndDoesNotTouchTheFirst() throws Exception {
        FileJournal journal = journal();
        RebootSequence sequence = sequence(journal);
        sequence.start(entry("req-1"), plan("req-1"));
        eventually().until(() -> executor.plans.size() == 1);

        sequence.start(entry("req-2"), plan("req-2"));
        drain();

        Event failed = event(EventType.REBOOT_FAILED);
        assertEquals("req-2", failed.requestId());
        assertEquals("another reboot is under way (request req-1)", WireData.of(failed).get("error"));
        assertEquals(List.of(plan("req-1")), executor.plans);
        assertEquals("req-1", journal.pending().orElseThrow().requestId());
    }

    @Test
    void lockThatOutlastsTheWaitIsRebootFailedWithTheLockAndClearsTheJournal() throws Exception {
        lockFile();
        FileJournal journal = journal();
        RebootSequence sequence = sequence(journal, puppetLock(Duration.ZERO));

        sequence.start(entry("req-1"), plan("req-1"));
        drain();

        assertEquals(List.of(EventType.REBOOT_FAILED), types());
        String error = WireData.of(events.get(0)).get("error").toString();
        assertTrue(error.startsWith("config run still in progress: " + LOCK + " still present after 0s"), error);
        assertEquals(List.of(), executor.log);
        assertEquals(Optional.empty(), journal.pending());
        assertNull(sequence.underway());
    }

    @Test
    void cancelWhileWaitingForALockStopsTheRebootWithoutCallingTheExecutor() throws Exception {
        Path lock = lockFile();
        FileJournal journal = journal();
        RebootSequence sequence = sequence(journal, puppetLock(LONG));
        sequence.start(entry("req-1"), plan("req-1"));
        eventually().until(() -> journal.pending().isPresent());

        RebootSequence.CancelResult result = sequence.cancel("req-1");
        Files.delete(lock);
        drain();

        assertTrue(result.cancelled(), result.message());
        assertEquals("reboot for request req-1 cancelled", result.message());
        assertEquals(List.of(EventType.CANCELLED), types());
        assertEquals(List.of(), executor.log, "neither started nor cancelled: it never ran");
        assertEquals(Optional.empty(), journal.pending());
        assertNull(sequence.underway());
    }

    @Test
    void cancelBeforeTheRebootThreadGetsToRunLeavesNoJournalAndNoReboot() throws Exception {
        FileJournal journal = journal();
        List<Runnable> queued = new ArrayList<>();
        RebootSequence sequence = new RebootSequence(journal, LockWait.none(), executor, queued::add, events::add,
                EVENTS, Clock.systemUTC());
        sequence.start(entry("req-1"), plan("req-1"));

        RebootSequence.CancelResult result = sequence.cancel("req-1");
        queued.forEach(Runnable::run); // the reboot thread gets its turn only now

        assertTrue(result.cancelled(), result.message());
        assertEquals(List.of(), executor.log);
        assertEquals(List.of(EventType.CANCELLED), types());
        assertEquals(Optional.empty(), journal.pending(), "a stale promise would read as reboot_interrupted later");
    }

    @Test
    void cancelInTheDelayRunsTheExecutorsCancelOnce() throws Exception {
        FileJournal journal = journal();
        RebootSequence sequence = sequence(journal);
        sequence.start(entry("req-1"), plan("req-1"));
        eventually().until(() -> executor.plans.size() == 1);

        RebootSequence.CancelResult result = sequence.cancel(null);

        assertTrue(result.cancelled(), result.message());
        assertEquals(List.of(plan("req-1")), executor.cancels);
        assertEquals(List.of(EventType.REBOOTING, EventType.CANCELLED), types());
        assertEquals(Optional.empty(), journal.pending());
        assertNull(sequence.underway());
        assertFalse(sequence.cancel("req-1").cancelled(), "cancelled once only");
        assertEquals(1, executor.cancels.size());
    }

    @Test
    void cancelTheExecutorRefusesLeavesTheRebootUnderWay() throws Exception {
        FileJournal journal = journal();
        RebootSequence sequence = sequence(journal);
        executor.onCancel = () -> {
            throw new RebootException("cancel command exited 1: [shutdown, -c]");
        };
        sequence.start(entry("req-1"), plan("req-1"));
        eventually().until(() -> executor.plans.size() == 1);

        RebootSequence.CancelResult result = sequence.cancel("req-1");

        assertFalse(result.cancelled());
        assertEquals("could not cancel: cancel command exited 1: [shutdown, -c]", result.message());
        assertEquals("req-1", sequence.underway(), "the machine is still going down");
        assertEquals("req-1", journal.pending().orElseThrow().requestId());
        assertTrue(events.stream().noneMatch(e -> e.type() == EventType.CANCELLED), events.toString());
    }

    @Test
    void cancelWithNothingUnderWayOrForAnotherRequestCancelsNothing() throws Exception {
        RebootSequence sequence = sequence(journal());

        assertEquals(new RebootSequence.CancelResult(false, "no reboot is scheduled on this node"),
                sequence.cancel(null));

        sequence.start(entry("req-1"), plan("req-1"));
        eventually().until(() -> executor.plans.size() == 1);
        RebootSequence.CancelResult other = sequence.cancel("req-9");

        assertFalse(other.cancelled());
        assertEquals("no reboot scheduled for request req-9 (the one under way is req-1)", other.message());
        assertEquals(List.of(), executor.cancels);
        assertEquals("req-1", sequence.underway());
    }

    @Test
    void cancelThatArrivesWhileRebootingIsBeingAnnouncedMeansTheExecutorNeverStarts() throws Exception {
        FileJournal journal = journal();
        CountDownLatch announcing = new CountDownLatch(1);
        CountDownLatch cancelled = new CountDownLatch(1);
        sink = e -> {
            events.add(e);
            if (e.type() == EventType.REBOOTING) {
                // A slow send (the broker away, failover retrying) holds the reboot thread here.
                announcing.countDown();
                try {
                    cancelled.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        RebootSequence sequence = sequence(journal);
        sequence.start(entry("req-1"), plan("req-1"));
        assertTrue(announcing.await(30, TimeUnit.SECONDS));

        RebootSequence.CancelResult result = sequence.cancel("req-1");
        cancelled.countDown();
        drain();

        assertTrue(result.cancelled(), result.message());
        assertEquals(List.of(), executor.plans, "reported cancelled, so the reboot must never start: " + executor.log);
        assertEquals(Optional.empty(), journal.pending(), "nothing to report after the next start");
        assertNull(sequence.underway());
    }

    @Test
    void cancelThatArrivesWhileTheRebootCommandRunsWaitsForItThenCancels() throws Exception {
        RebootSequence sequence = sequence(journal());
        CountDownLatch commandRunning = new CountDownLatch(1);
        CountDownLatch commandMayReturn = new CountDownLatch(1);
        executor.onReboot = () -> {
            commandRunning.countDown();
            try {
                commandMayReturn.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        sequence.start(entry("req-1"), plan("req-1"));
        assertTrue(commandRunning.await(30, TimeUnit.SECONDS));
        AtomicReference<RebootSequence.CancelResult> result = new AtomicReference<>();
        Thread canceller = new Thread(() -> result.set(sequence.cancel("req-1")), "canceller");
        canceller.start();

        // Either it cancels right now (too early: shutdown -c before shutdown -r has run) or it waits.
        eventually().until(() -> executor.log.contains("cancel") || canceller.getState() == Thread.State.BLOCKED
                || canceller.getState() == Thread.State.WAITING);
        commandMayReturn.countDown();
        canceller.join(30_000);

        assertTrue(result.get().cancelled(), String.valueOf(result.get()));
        assertEquals(List.of("reboot started", "reboot returned", "cancel"), executor.log,
                "the cancel command runs only once the reboot command has scheduled something to cancel");
    }

    // ------------------------------------------------- restarted inside the delay of a reboot handed to the OS

    /** A promise whose executor ran {@code agoS} seconds ago on this boot ({@code boot-a}), delay 60 s. */
    private FileJournal handedToTheOs(long agoS) throws Exception {
        FileJournal journal = journal();
        JournalEntry promised = entry("req-1");
        journal.record(promised.executed(Instant.now().minusSeconds(agoS)));
        return journal;
    }

    private static final java.util.function.Supplier<io.orch.responder.pending.PendingState> NOTHING_PENDING =
            () -> new io.orch.responder.pending.PendingState(List.of(), Map.of());

    @Test
    void restartInTheDelayCancelsTheOsRebootSoRebootInterruptedIsTrue() throws Exception {
        FileJournal journal = handedToTheOs(10);
        RebootSequence sequence = sequence(journal);

        Event event = sequence.settleAfterBoot(Instant.now().minusSeconds(3600), NOTHING_PENDING).orElseThrow();

        assertEquals(EventType.REBOOT_INTERRUPTED, event.type());
        assertEquals("req-1", event.requestId());
        assertEquals("the responder restarted while the reboot was in its delay; the reboot was cancelled and "
                + "will not be retried by itself", WireData.of(event).get("message"));
        assertEquals(List.of("req-1"), executor.cancels.stream().map(RebootPlan::requestId).toList());
        assertTrue(journal.pending().isEmpty());
        assertNull(sequence.underway());
    }

    @Test
    void restartInTheDelayWhoseCancelFailsKeepsThePromiseUnderWay() throws Exception {
        FileJournal journal = handedToTheOs(10);
        executor.onCancel = () -> {
            throw new RebootException("cancel command exited 1: Failed to talk to logind");
        };
        RebootSequence sequence = sequence(journal);

        Optional<Event> event = sequence.settleAfterBoot(Instant.now().minusSeconds(3600), NOTHING_PENDING);

        assertTrue(event.isEmpty(), "no reboot_interrupted: the reboot will happen");
        assertEquals("req-1", sequence.underway());
        assertEquals("req-1", journal.pending().orElseThrow().requestId(), "kept for rebooted after boot");
        assertFalse(sequence.cancelAny(java.util.Set.of("req-1")).cancelled(), "cancel tries again, and fails");
        executor.onCancel = () -> { };
        assertTrue(sequence.cancelAny(java.util.Set.of("req-1")).cancelled());
        assertEquals(List.of(EventType.CANCELLED), types());
        assertTrue(journal.pending().isEmpty());
    }

    @Test
    void rebootHandedToTheOsLongPastItsTimeOnTheSameBootDidNotHappen() throws Exception {
        FileJournal journal = handedToTheOs(3600);
        executor.onCancel = () -> {
            throw new RebootException("no scheduled shutdown");
        };
        RebootSequence sequence = sequence(journal);

        Event event = sequence.settleAfterBoot(Instant.now().minusSeconds(7200), NOTHING_PENDING).orElseThrow();

        assertEquals(EventType.REBOOT_INTERRUPTED, event.type());
        assertTrue(WireData.of(event).get("message").toString().contains("did not happen"),
                WireData.of(event).toString());
        assertNull(sequence.underway());
        assertTrue(journal.pending().isEmpty());
    }

    /** Holds what the sequence asked to run later; the test runs it when its clock says so. */
    static final class HeldTimer implements RebootSequence.DueTimer {
        record Task(Instant due, Runnable task) {
        }

        final List<Task> tasks = new CopyOnWriteArrayList<>();

        @Override
        public void at(Instant due, Runnable task) {
            tasks.add(new Task(due, task));
        }
    }

    private static final Instant T0 = Instant.parse("2026-03-01T02:00:00Z");

    /** A journal holding req-1 (delay 60 s, boot id {@code bootId}) handed to the OS at {@code executedAt}. */
    private FileJournal handedToTheOs(String bootId, Instant executedAt) throws Exception {
        FileJournal journal = journal();
        journal.record(new JournalEntry("req-1", "alice", "jumphost", bootId,
                List.of(new Reason("reboot_required", "", Map.of())), 60, executedAt.minusSeconds(5), executedAt, null));
        return journal;
    }

    private RebootSequence sequence(Journal journal, String bootId, Clock clock, RebootSequence.DueTimer timer) {
        return new RebootSequence(journal, LockWait.none(), executor, rebootThread, e -> sink.publish(e),
                new NodeEvents("web01", bootId, clock), clock, timer);
    }

    @Test
    void withoutABootIdARebootSinceTheHandoverIsRebootedAndNothingIsCancelled() throws Exception {
        // Windows before it had a boot id: "" after the reboot equals "" before it.
        TestClock clock = new TestClock(T0);
        FileJournal journal = handedToTheOs("", T0.minusSeconds(300));
        HeldTimer timer = new HeldTimer();
        RebootSequence sequence = sequence(journal, "", clock, timer);

        Event event = sequence.settleAfterBoot(T0.minusSeconds(90), NOTHING_PENDING).orElseThrow();

        assertEquals(EventType.REBOOTED, event.type(), WireData.of(event).toString());
        assertEquals("req-1", event.requestId());
        assertEquals(List.of(), executor.log, "no cancel: the reboot is done, not pending");
        assertNull(sequence.underway());
        assertTrue(journal.pending().isEmpty());
        assertEquals("req-1", journal.last().orElseThrow().requestId(), "the loop guard and min_interval_s see it");
        assertEquals(List.of(), timer.tasks);
    }

    @Test
    void withoutABootIdNoBootSinceTheHandoverCancelsTheOsRebootAsWithOne() throws Exception {
        TestClock clock = new TestClock(T0);
        FileJournal journal = handedToTheOs("", T0.minusSeconds(10));
        RebootSequence sequence = sequence(journal, "", clock, new HeldTimer());

        Event event = sequence.settleAfterBoot(T0.minusSeconds(86_400), NOTHING_PENDING).orElseThrow();

        assertEquals(EventType.REBOOT_INTERRUPTED, event.type());
        assertEquals(List.of("req-1"), executor.cancels.stream().map(RebootPlan::requestId).toList());
        assertTrue(journal.pending().isEmpty());
    }

    @Test
    void knownBootIdsThatDifferAreRebootedWhateverTheBootTimeSays() throws Exception {
        TestClock clock = new TestClock(T0);
        FileJournal journal = handedToTheOs("boot-a", T0.minusSeconds(10));
        RebootSequence sequence = sequence(journal, "boot-b", clock, new HeldTimer());

        // A boot time that cannot be right (the clock was stepped): the kernel's boot ids win.
        Event event = sequence.settleAfterBoot(T0.minusSeconds(86_400), NOTHING_PENDING).orElseThrow();

        assertEquals(EventType.REBOOTED, event.type());
        assertEquals(List.of(), executor.log);
    }

    @Test
    void keptPromiseWhoseRebootNeverComesIsRebootInterruptedOnceOverdue() throws Exception {
        TestClock clock = new TestClock(T0);
        FileJournal journal = handedToTheOs("boot-a", T0.minusSeconds(10));
        executor.onCancel = () -> {
            throw new RebootException("cancel command exited 1: Failed to talk to logind");
        };
        HeldTimer timer = new HeldTimer();
        RebootSequence sequence = sequence(journal, "boot-a", clock, timer);

        assertTrue(sequence.settleAfterBoot(T0.minusSeconds(3600), NOTHING_PENDING).isEmpty());
        assertEquals("req-1", sequence.underway());
        HeldTimer.Task check = timer.tasks.get(0);
        assertEquals(1, timer.tasks.size());
        assertEquals(T0.minusSeconds(10).plusSeconds(60).plus(Limits.OS_REBOOT_GRACE), check.due(),
                "the delay (whole minutes) and the grace after the handover");

        clock.advance(Duration.between(T0, check.due()).plusSeconds(1)); // the node is still up: no reboot came
        check.task().run();

        Event event = event(EventType.REBOOT_INTERRUPTED);
        assertEquals("req-1", event.requestId());
        assertEquals("the reboot handed to the OS was due by " + check.due() + " and did not happen; it will not be "
                + "retried by itself", WireData.of(event).get("message"));
        assertEquals(List.of("cancel", "cancel"), executor.log, "tried once more, so a late reboot cannot follow");
        assertNull(sequence.underway());
        assertTrue(journal.pending().isEmpty());
        assertEquals(new RebootSequence.CancelResult(false, "no reboot is scheduled on this node"),
                sequence.cancelAny(java.util.Set.of("req-1")));
    }

    @Test
    void keptPromiseCancelledByTheOperatorIsNotReportedAgainWhenItsTimeComes() throws Exception {
        TestClock clock = new TestClock(T0);
        FileJournal journal = handedToTheOs("boot-a", T0.minusSeconds(10));
        executor.onCancel = () -> {
            throw new RebootException("cancel command exited 1");
        };
        HeldTimer timer = new HeldTimer();
        RebootSequence sequence = sequence(journal, "boot-a", clock, timer);
        assertTrue(sequence.settleAfterBoot(T0.minusSeconds(3600), NOTHING_PENDING).isEmpty());
        executor.onCancel = () -> { };
        assertTrue(sequence.cancelAny(java.util.Set.of("req-1")).cancelled());

        clock.advance(Duration.ofMinutes(10));
        timer.tasks.get(0).task().run();

        assertEquals(List.of(EventType.CANCELLED), types());
        assertEquals(List.of("cancel", "cancel"), executor.log, "the overdue check ran no cancel of its own");
    }

    @Test
    void stoppingAfterTheExecutorStartedNotesTheStopForTheDowntime() throws Exception {
        FileJournal journal = journal();
        RebootSequence sequence = sequence(journal);
        sequence.start(entry("req-1"), plan("req-1"));
        eventually().until(() -> executor.plans.size() == 1);

        sequence.stopping();

        JournalEntry noted = journal.pending().orElseThrow();
        assertNotNull(noted.stoppedAt());
        Instant first = noted.stoppedAt();
        sequence.stopping();
        assertEquals(first, journal.pending().orElseThrow().stoppedAt(), "the first stop counts");
    }

    @Test
    void stoppingWhileStillWaitingForALockNotesNothing() throws Exception {
        lockFile();
        FileJournal journal = journal();
        RebootSequence sequence = sequence(journal, puppetLock(LONG));
        sequence.start(entry("req-1"), plan("req-1"));
        eventually().until(() -> journal.pending().isPresent());

        sequence.stopping();

        JournalEntry entry = journal.pending().orElseThrow();
        assertNull(entry.executedAt());
        assertNull(entry.stoppedAt());
    }

    @Test
    void stoppingWithAnEmptyOrDamagedJournalDoesNotThrow() throws Exception {
        FileJournal journal = journal();
        sequence(journal).stopping();
        Files.createDirectories(journal.dir());
        Files.writeString(journal.dir().resolve("pending-reboot.json"), "{{{");

        sequence(journal).stopping();
    }
}
