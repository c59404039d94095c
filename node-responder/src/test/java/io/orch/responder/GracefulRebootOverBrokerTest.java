package io.orch.responder;

import io.orch.responder.facts.NodeFacts;
import io.orch.responder.security.NodeSecurity;
import io.orch.protocol.payload.Reason;

import static io.orch.responder.BusClient.eventually;
import static io.orch.responder.Fixture.write;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.orch.protocol.bus.Destinations;
import io.orch.protocol.envelope.Action;
import io.orch.protocol.envelope.Codec;
import io.orch.protocol.envelope.Event;
import io.orch.protocol.envelope.EventType;
import io.orch.protocol.envelope.Reply;
import io.orch.protocol.envelope.ReplyStatus;
import io.orch.protocol.envelope.Request;
import io.orch.responder.bus.NodeEndpoint;
import io.orch.responder.config.ResponderConfig;
import io.orch.responder.config.ResponderWiring;
import io.orch.responder.executor.RebootExecutor;
import io.orch.responder.executor.RebootPlan;
import io.orch.responder.journal.FileJournal;
import io.orch.responder.journal.JournalEntry;
import io.orch.responder.journal.LastReboot;
import io.orch.responder.node.Responder;
import io.orch.responder.replay.SeenRequests;
import io.orch.responder.state.Disk;
import io.orch.responder.state.StateFolder;
import jakarta.jms.Connection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.activemq.broker.BrokerService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The graceful reboot on a real broker, wired by {@link ResponderWiring#responder} with a file
 * journal in a temporary state folder: waiting for a config-management run, cancel in the delay,
 * what the node says after boot, the loop guard, the minimum interval and one reboot at a time.
 * The executor only records.
 */
class GracefulRebootOverBrokerTest {
    private static final String BOOT_ID = "7d1e5c3a-2b4f-4e6a-8c9d-1f2e3a4b5c6d";
    private static final String OLD_BOOT_ID = "0a9b8c7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d";
    private static final String LOCK = "/var/lib/puppet/state/agent_catalog_run.lock";
    private static final String KERNEL_PKG = "linux-image-6.1.0-11-amd64";
    private static final AtomicInteger NODES = new AtomicInteger();

    private static BrokerService broker;
    private static String brokerUrl;

    @TempDir
    Path dir;

    private Path root;
    private Path state;
    private final String identity = "graceful" + NODES.incrementAndGet() + ".test";
    private final Recording executor = new Recording();
    private final ExecutorService rebootThread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "reboot");
        t.setDaemon(true);
        return t;
    });
    private List<String> lockFiles = List.of(LOCK);
    private int lockWaitS = 60;
    private int minIntervalS = 0;
    private boolean allowForce;
    private Connection nodeConnection;
    /** While set, a new file in the state folder gets no room (the disk is full); see {@link #disk}. */
    private volatile boolean diskFull;
    /** The machine's disk, failing as a full one does at the filesystem edge while {@link #diskFull} is set. */
    private final Disk disk = new Disk() {
        @Override
        public void write(Path file, java.nio.channels.FileChannel out, java.nio.ByteBuffer bytes)
                throws java.io.IOException {
            if (diskFull && file.getFileName().toString().startsWith(".")) {
                throw new java.nio.file.FileSystemException(file.toString(), null, "No space left on device");
            }
            Disk.REAL.write(file, out, bytes);
        }

        @Override
        public void force(Path file, java.nio.channels.FileChannel out) throws java.io.IOException {
            Disk.REAL.force(file, out);
        }
    };
    private NodeEndpoint endpoint;
    private BusClient client;

    /** Records plans and cancels instead of rebooting. */
    static final class Recording implements RebootExecutor {
        final List<RebootPlan> plans = Collections.synchronizedList(new ArrayList<>());
        final List<RebootPlan> cancels = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void reboot(RebootPlan plan) {
            plans.add(plan);
        }

        /** Runs at the start of every cancel: a test may make the cancel slow. */
        volatile Runnable onCancel = () -> { };

        @Override
        public void cancel(RebootPlan plan) {
            onCancel.run();
            cancels.add(plan);
        }

        @Override
        public String describe(RebootPlan plan) {
            return "recorded by the test";
        }
    }

    @BeforeAll
    static void startBroker() throws Exception {
        broker = BusClient.startBroker("graceful-reboot-test");
        brokerUrl = BusClient.url(broker);
    }

    @AfterAll
    static void stopBroker() throws Exception {
        BusClient.stopAndCheck(broker);
    }

    @BeforeEach
    void fixtureAndClient() throws Exception {
        root = dir.resolve("root");
        state = dir.resolve("state");
        write(root, "etc/os-release", "NAME=\"Debian GNU/Linux\"\nID=debian\nVERSION_ID=\"12\"\n");
        write(root, "proc/sys/kernel/osrelease", "6.1.0-10-amd64\n");
        write(root, "proc/sys/kernel/random/boot_id", BOOT_ID + "\n");
        write(root, "proc/uptime", "3600.25 7000.00\n");
        write(root, "boot/vmlinuz-6.1.0-10-amd64", "");
        client = BusClient.connect(brokerUrl);
    }

    @AfterEach
    void stopNodeAndClient() throws Exception {
        rebootThread.shutdownNow(); // ends a lock wait still under way
        rebootThread.awaitTermination(30, TimeUnit.SECONDS);
        if (endpoint != null) {
            endpoint.close();
        }
        if (nodeConnection != null) {
            nodeConnection.close();
        }
        client.close();
    }

    private ResponderConfig config() {
        return new ResponderConfig(identity, "orch", null, new ResponderConfig.Facts(root.toString(), List.of()),
                new ResponderConfig.Pending(List.of("reboot_required", "kernel_update")),
                new ResponderConfig.Reboot("command", null, null, allowForce, null, lockFiles, lockWaitS,
                        minIntervalS, state.toString()), null);
    }

    private void startNode() throws Exception {
        ResponderConfig config = config();
        nodeConnection = BusClient.factory(brokerUrl).createConnection();
        nodeConnection.start();
        NodeFacts nodeFacts = ResponderWiring.facts(config, Clock.systemUTC());
        NodeSecurity security = TestTrust.shared().node(nodeFacts.identity());
        endpoint = NodeEndpoint.open(nodeConnection, new Destinations("orch"), new Codec(), security.sealer());
        SeenRequests seen = SeenRequests.open(StateFolder.open(state, disk), Clock.systemUTC());
        Responder responder = ResponderWiring.responder(config, nodeFacts,
                executor, rebootThread, endpoint, Clock.systemUTC(), security, seen);
        endpoint.serve(responder);
    }

    private FileJournal journal() {
        return new FileJournal(state);
    }

    private void makePending(String... packages) {
        write(root, "run/reboot-required", "*** System restart required ***\n");
        write(root, "run/reboot-required.pkgs", String.join("\n", packages) + "\n");
    }

    private Path lock() {
        return write(root, LOCK.substring(1), "31337\n");
    }

    private String nodeTopic() {
        return "orch.node." + identity;
    }

    private static Request request(Action action, Map<String, Object> params) {
        return Request.create("orch", action, null, params, "tester", "junit", Instant.now(), Duration.ofSeconds(60));
    }

    private Reply ask(Action action, Map<String, Object> params) throws Exception {
        return client.ask(nodeTopic(), request(action, params));
    }

    private Reply reboot() throws Exception {
        return ask(Action.REBOOT, Map.of());
    }

    private Reply cancel(String requestId) throws Exception {
        return ask(Action.CANCEL, requestId == null ? Map.of() : Map.of("request_id", requestId));
    }

    /** A ping answered ok also proves that everything sent before it has been handled. */
    private void assertStillServing() throws Exception {
        Reply pong = ask(Action.PING, null);
        assertEquals(ReplyStatus.OK, pong.status(), pong.message());
    }

    private List<Event> nodeEvents(EventType type) {
        return client.events(type).stream().filter(e -> e.node().equals(identity)).toList();
    }

    /** Holds for a while in which a lock poll (once a second) certainly ran: nothing was started. */
    private void assertNothingStartedForAWhile() {
        await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(10))
                .until(() -> executor.plans.isEmpty() && nodeEvents(EventType.REBOOTING).isEmpty());
    }

    private static Reason debianReason(String detail, String... packages) {
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("file", "/run/reboot-required");
        evidence.put("packages", List.of(packages));
        return new Reason("reboot_required", detail, evidence);
    }

    private static Reason kernelReason(String newest) {
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("running", "6.1.0-10-amd64");
        evidence.put("newest", newest);
        return new Reason("kernel_update", "running kernel 6.1.0-10-amd64 is older than installed " + newest, evidence);
    }

    // ------------------------------------------------------------------------------------ config-run locks

    @Test
    void rebootWaitsWhileAConfigRunHoldsItsLockAndGoesAheadOnceTheLockIsGone() throws Exception {
        makePending(KERNEL_PKG);
        Path lock = lock();
        startNode();

        Reply reply = reboot();

        assertEquals(ReplyStatus.SCHEDULED, reply.status(), reply.message());
        JournalEntry promised = eventually().until(() -> journal().pending(), Optional::isPresent).orElseThrow();
        assertEquals(reply.requestId(), promised.requestId());
        assertEquals(BOOT_ID, promised.bootId());
        assertEquals(null, promised.executedAt(), "still waiting for the config run");
        assertNothingStartedForAWhile();

        Files.delete(lock);

        eventually().until(() -> executor.plans.size() == 1);
        Event rebooting = client.event(EventType.REBOOTING, reply.requestId());
        assertEquals(identity, rebooting.node());
        assertStillServing();
        assertEquals(1, executor.plans.size(), executor.plans.toString());
        assertEquals(reply.requestId(), executor.plans.get(0).requestId());
        assertNotNull(journal().pending().orElseThrow().executedAt(), "the journal notes the executor start");
        assertTrue(nodeEvents(EventType.REBOOT_FAILED).isEmpty(), client.events.toString());
    }

    @Test
    void configRunLockStillHeldAfterLockWaitIsRebootFailedNeverRebootsAndClearsTheJournal() throws Exception {
        lockWaitS = 2;
        makePending(KERNEL_PKG);
        Path lock = lock();
        startNode();

        Reply reply = reboot();

        assertEquals(ReplyStatus.SCHEDULED, reply.status(), reply.message());
        Event failed = client.event(EventType.REBOOT_FAILED, reply.requestId());
        assertEquals("config run still in progress: " + LOCK + " still present after 2s; not rebooting",
                WireData.of(failed).get("error"));
        assertStillServing();
        assertEquals(List.of(), executor.plans);
        assertTrue(nodeEvents(EventType.REBOOTING).isEmpty(), client.events.toString());
        assertEquals(Optional.empty(), journal().pending());

        Files.delete(lock);
        Reply again = reboot();
        assertEquals(ReplyStatus.SCHEDULED, again.status(), "the failed one is not under way any more: "
                + again.message());
        eventually().until(() -> executor.plans.size() == 1);
    }

    // ------------------------------------------------------------------------------------------------ cancel

    @Test
    void cancelInTheDelayIsAnsweredCancelledAnnouncedAndRunsTheExecutorCancelOnce() throws Exception {
        lockFiles = List.of();
        makePending(KERNEL_PKG);
        startNode();
        Reply scheduled = reboot();
        assertEquals(ReplyStatus.SCHEDULED, scheduled.status(), scheduled.message());
        eventually().until(() -> executor.plans.size() == 1); // the reboot command ran: now in its delay

        Reply cancelled = cancel(scheduled.requestId());

        assertEquals(ReplyStatus.CANCELLED, cancelled.status(), cancelled.message());
        assertEquals("reboot for request " + scheduled.requestId() + " cancelled", cancelled.message());
        assertEquals("cancel", cancelled.action());
        Event event = client.event(EventType.CANCELLED, scheduled.requestId());
        assertEquals(identity, event.node());
        assertEquals(List.of(executor.plans.get(0)), executor.cancels);
        assertEquals(Optional.empty(), journal().pending());

        Reply again = cancel(scheduled.requestId());
        assertEquals(ReplyStatus.NOOP, again.status(), again.message());
        assertEquals(1, executor.cancels.size());
    }

    @Test
    void cancelWhileWaitingForAConfigRunStopsTheRebootBeforeItStarts() throws Exception {
        makePending(KERNEL_PKG);
        Path lock = lock();
        startNode();
        Reply scheduled = reboot();
        assertEquals(ReplyStatus.SCHEDULED, scheduled.status(), scheduled.message());
        eventually().until(() -> journal().pending().isPresent());

        Reply cancelled = cancel(null);

        assertEquals(ReplyStatus.CANCELLED, cancelled.status(), cancelled.message());
        client.event(EventType.CANCELLED, scheduled.requestId());
        Files.delete(lock);
        assertNothingStartedForAWhile();
        assertEquals(List.of(), executor.cancels, "nothing was started, so there is nothing to cancel on the OS");
        assertEquals(Optional.empty(), journal().pending());
    }

    @Test
    void cancelWithNoRebootScheduledIsNoop() throws Exception {
        startNode();

        Reply reply = cancel(null);

        assertEquals(ReplyStatus.NOOP, reply.status(), reply.message());
        assertEquals("no reboot is scheduled on this node", reply.message());
        assertEquals(List.of(), executor.cancels);
        assertTrue(nodeEvents(EventType.CANCELLED).isEmpty());
    }

    @Test
    void cancelNamingAnotherRequestLeavesTheScheduledRebootAlone() throws Exception {
        lockFiles = List.of();
        makePending(KERNEL_PKG);
        startNode();
        Reply scheduled = reboot();
        eventually().until(() -> executor.plans.size() == 1);

        Reply reply = cancel("some-other-request");

        assertEquals(ReplyStatus.NOOP, reply.status(), reply.message());
        assertEquals("no reboot scheduled for request some-other-request (the one under way is "
                + scheduled.requestId() + ")", reply.message());
        assertEquals(List.of(), executor.cancels);
        assertEquals(scheduled.requestId(), journal().pending().orElseThrow().requestId());
    }

    @Test
    void cancelWithARequestIdThatIsNotAStringIsInvalid() throws Exception {
        startNode();

        Reply reply = ask(Action.CANCEL, Map.of("request_id", 42));

        assertEquals(ReplyStatus.INVALID, reply.status(), reply.message());
        assertEquals("param 'request_id' must be a string and 'request_ids' an array of strings", reply.message());
    }

    // --------------------------------------------------------------------------------------------- after boot

    private JournalEntry promise(String bootId, List<Reason> reasons) {
        Instant now = Instant.now();
        return new JournalEntry("req-before-boot", "alice", "jumphost", bootId, reasons, 60,
                now.minusSeconds(300), now.minusSeconds(240), now.minusSeconds(180));
    }

    @Test
    void rebootAskedWhileTheStartSettlesARebootHandedToTheOsIsNeverPromisedBeforeTheSettleEnds() throws Exception {
        // Restarted in the delay of a reboot handed to the OS on this boot: the start cancels it, slowly.
        lockFiles = List.of();
        makePending(KERNEL_PKG);
        Instant handedOver = Instant.now().minusSeconds(10);
        journal().record(new JournalEntry("req-handed-over", "alice", "jumphost", BOOT_ID,
                List.of(debianReason("before", KERNEL_PKG)), 60, handedOver.minusSeconds(5), handedOver, null));
        CountDownLatch cancelling = new CountDownLatch(1);
        CountDownLatch cancelMayEnd = new CountDownLatch(1);
        executor.onCancel = () -> {
            cancelling.countDown();
            try {
                cancelMayEnd.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        ExecutorService starting = Executors.newSingleThreadExecutor();
        try {
            java.util.concurrent.Future<?> started = starting.submit(() -> {
                startNode();
                return null;
            });
            assertTrue(cancelling.await(30, TimeUnit.SECONDS), "the start is settling: the cancel runs");

            Request early = request(Action.REBOOT, Map.of());
            client.send(nodeTopic(), early);
            cancelMayEnd.countDown();
            started.get(30, TimeUnit.SECONDS);

            Event interrupted = client.event(EventType.REBOOT_INTERRUPTED, "req-handed-over");
            assertTrue(WireData.of(interrupted).get("message").toString().contains("the reboot was cancelled"),
                    WireData.of(interrupted).toString());
            // Replies leave this node in the order it handled the requests: had it taken the early one,
            // its reply would be here before the pong.
            assertStillServing();
            assertTrue(client.replies.stream().noneMatch(r -> r.requestId().equals(early.id())),
                    "a request that came while settling was answered: " + client.replies);
            assertEquals(Optional.empty(), journal().pending(), "the settle left no promise behind");
            assertEquals(List.of(), executor.plans, "nothing was scheduled before the settle ended");

            Reply scheduled = reboot();
            assertEquals(ReplyStatus.SCHEDULED, scheduled.status(), scheduled.message());
            eventually().until(() -> executor.plans.size() == 1);
            assertEquals(scheduled.requestId(), journal().pending().orElseThrow().requestId(),
                    "the new promise is kept in the journal");
        } finally {
            cancelMayEnd.countDown();
            starting.shutdownNow();
        }
    }

    @Test
    void promisedRebootWithANewBootIdIsPublishedAsRebootedOnStart() throws Exception {
        journal().record(promise(OLD_BOOT_ID, List.of(debianReason("before", KERNEL_PKG))));

        startNode();

        Event rebooted = client.event(EventType.REBOOTED, "req-before-boot");
        assertEquals(identity, rebooted.node());
        assertEquals(BOOT_ID, rebooted.bootId());
        assertEquals(OLD_BOOT_ID, WireData.of(rebooted).get("old_boot_id"));
        assertEquals(BOOT_ID, WireData.of(rebooted).get("new_boot_id"));
        assertEquals(false, WireData.of(rebooted).get("pending"));
        assertEquals(List.of(), WireData.of(rebooted).get("reasons"));
        assertEquals(false, WireData.of(rebooted).get("loop_suspected"));
        assertTrue(((Number) WireData.of(rebooted).get("downtime_s")).doubleValue() >= 180, WireData.of(rebooted).toString());
        List<EventType> order = client.events.stream().filter(e -> e.node().equals(identity)).map(Event::type)
                .toList();
        assertEquals(List.of(EventType.STARTED, EventType.REBOOTED), order);
        assertEquals(Optional.empty(), journal().pending());
        LastReboot last = journal().last().orElseThrow();
        assertEquals("req-before-boot", last.requestId());
        assertEquals(false, last.loopSuspected());
    }

    @Test
    void promisedRebootWithTheSameBootIdIsRebootInterruptedAndNeverCarriedOut() throws Exception {
        lockFiles = List.of();
        makePending(KERNEL_PKG);
        journal().record(promise(BOOT_ID, List.of(debianReason("before", KERNEL_PKG))));

        startNode();

        Event interrupted = client.event(EventType.REBOOT_INTERRUPTED, "req-before-boot");
        assertEquals(identity, interrupted.node());
        assertEquals(BOOT_ID, interrupted.bootId());
        assertTrue(WireData.of(interrupted).get("message").toString().contains("will not be retried"),
                WireData.of(interrupted).toString());
        assertStillServing();
        assertEquals(List.of(), executor.plans);
        assertTrue(nodeEvents(EventType.REBOOTING).isEmpty());
        assertTrue(nodeEvents(EventType.REBOOTED).isEmpty());
        assertEquals(Optional.empty(), journal().pending());
        assertEquals(Optional.empty(), journal().last());
    }

    @Test
    void sameReasonsStillPendingAfterBootAreReportedAsALoopAndTheNextRebootIsDenied() throws Exception {
        makePending(KERNEL_PKG);
        journal().record(promise(OLD_BOOT_ID, List.of(debianReason("before", KERNEL_PKG))));
        startNode();

        Event rebooted = client.event(EventType.REBOOTED, "req-before-boot");
        assertEquals(true, WireData.of(rebooted).get("pending"));
        assertEquals(List.of("reboot_required"), WireData.reasonNames(rebooted));
        assertEquals(true, WireData.of(rebooted).get("loop_suspected"));

        Reply reply = reboot();

        assertEquals(ReplyStatus.DENIED, reply.status(), reply.message());
        assertTrue(reply.message().startsWith("loop_suspected"), reply.message());
        assertStillServing();
        assertEquals(List.of(), executor.plans);
    }

    // ------------------------------------------------------------------------------ loop guard, min interval

    static Stream<Arguments> loopCases() {
        Consumer<Path> samePackage = root -> {
            write(root, "run/reboot-required", "");
            write(root, "run/reboot-required.pkgs", KERNEL_PKG + "\n");
        };
        Consumer<Path> otherPackage = root -> {
            write(root, "run/reboot-required", "");
            write(root, "run/reboot-required.pkgs", "libc6\n");
        };
        Consumer<Path> sameKernel = root -> write(root, "boot/vmlinuz-6.1.0-11-amd64", "");
        Consumer<Path> newerKernel = root -> {
            write(root, "boot/vmlinuz-6.1.0-11-amd64", "");
            write(root, "boot/vmlinuz-6.1.0-12-amd64", "");
        };
        List<Reason> debianBefore = List.of(debianReason("worded otherwise before", KERNEL_PKG));
        List<Reason> kernelBefore = List.of(kernelReason("6.1.0-11-amd64"));
        // what, fixture now, reasons of the last reboot (loop suspected), answer
        return Stream.of(
                arguments("same package still asks for a reboot", samePackage, debianBefore, ReplyStatus.DENIED),
                arguments("another package asks now", otherPackage, debianBefore, ReplyStatus.SCHEDULED),
                arguments("same kernel still newest", sameKernel, kernelBefore, ReplyStatus.DENIED),
                arguments("a newer kernel is installed", newerKernel, kernelBefore, ReplyStatus.SCHEDULED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("loopCases")
    void suspectedLoopDeniesTheSameReasonsAndAllowsChangedOnes(String what, Consumer<Path> fixture,
            List<Reason> before, ReplyStatus expected) throws Exception {
        lockFiles = List.of();
        fixture.accept(root);
        journal().recordLast(new LastReboot("req-last", Instant.now().minus(Duration.ofDays(1)), before, true));
        startNode();

        Reply reply = reboot();

        assertEquals(expected, reply.status(), reply.message());
        if (expected == ReplyStatus.DENIED) {
            assertTrue(reply.message().startsWith("loop_suspected: the same reasons"), reply.message());
            assertTrue(reply.message().contains("req-last"), reply.message());
            assertStillServing();
            assertEquals(List.of(), executor.plans);
        } else {
            eventually().until(() -> executor.plans.size() == 1);
        }
    }

    @Test
    void forcedRebootGetsPastASuspectedLoopWhenTheNodeAllowsForce() throws Exception {
        lockFiles = List.of();
        allowForce = true;
        minIntervalS = 1800;
        makePending(KERNEL_PKG);
        journal().recordLast(new LastReboot("req-last", Instant.now().minusSeconds(10),
                List.of(debianReason("before", KERNEL_PKG)), true));
        startNode();
        assertEquals(ReplyStatus.DENIED, reboot().status(), "unforced, the guard holds");

        Reply forced = ask(Action.REBOOT, Map.of("when", "refreshed", "force", true));

        assertEquals(ReplyStatus.SCHEDULED, forced.status(), forced.message());
        eventually().until(() -> executor.plans.size() == 1);
    }

    @Test
    void forcedRebootIsStillDeniedWhenTheNodeDoesNotAllowForce() throws Exception {
        makePending(KERNEL_PKG);
        journal().recordLast(new LastReboot("req-last", Instant.now().minus(Duration.ofDays(1)),
                List.of(debianReason("before", KERNEL_PKG)), true));
        startNode();

        Reply forced = ask(Action.REBOOT, Map.of("when", "refreshed", "force", true));

        assertEquals(ReplyStatus.DENIED, forced.status(), forced.message());
        assertTrue(forced.message().contains("allow_force"), forced.message());
        assertEquals(List.of(), executor.plans);
    }

    @Test
    void rebootSoonerThanTheMinimumIntervalAfterTheLastIsDenied() throws Exception {
        lockFiles = List.of();
        minIntervalS = 1800;
        makePending("libc6");
        journal().recordLast(new LastReboot("req-last", Instant.now().minusSeconds(10),
                List.of(debianReason("before", KERNEL_PKG)), false));
        startNode();

        Reply reply = reboot();

        assertEquals(ReplyStatus.DENIED, reply.status(), reply.message());
        assertTrue(reply.message().contains("(request req-last); reboot.min_interval_s is 1800"), reply.message());
        assertEquals(BOOT_ID, WireData.of(reply).get("boot_id"));
        assertStillServing();
        assertEquals(List.of(), executor.plans);
    }

    @Test
    void zeroMinimumIntervalAllowsARebootRightAfterTheLast() throws Exception {
        lockFiles = List.of();
        minIntervalS = 0;
        makePending("libc6");
        journal().recordLast(new LastReboot("req-last", Instant.now().minusSeconds(10),
                List.of(debianReason("before", KERNEL_PKG)), false));
        startNode();

        Reply reply = reboot();

        assertEquals(ReplyStatus.SCHEDULED, reply.status(), reply.message());
        eventually().until(() -> executor.plans.size() == 1);
    }

    @Test
    void noopRebootIsDeniedByTheLoopGuardToo() throws Exception {
        makePending(KERNEL_PKG);
        journal().recordLast(new LastReboot("req-last", Instant.now().minus(Duration.ofDays(1)),
                List.of(debianReason("before", KERNEL_PKG)), true));
        startNode();

        Reply reply = ask(Action.REBOOT, Map.of("noop", true));

        assertEquals(ReplyStatus.DENIED, reply.status(), "a dry run says what the real one would get: "
                + reply.message());
    }

    @Test
    void damagedLastRebootFileDeniesRebootsRatherThanSkippingTheLoopGuard() throws Exception {
        makePending(KERNEL_PKG);
        Files.createDirectories(state);
        Files.writeString(state.resolve("last-reboot.json"), "{\"request_id\":\"req-last\",\"rebooted_at\":\"soon\"}");
        startNode();

        Reply reply = reboot();

        assertEquals(ReplyStatus.DENIED, reply.status(), reply.message());
        assertTrue(reply.message().startsWith("cannot read the reboot journal, so the loop guard cannot be checked"),
                reply.message());
        assertTrue(reply.message().contains("last-reboot.json"), reply.message());
        assertStillServing();
        assertEquals(List.of(), executor.plans);
    }

    @Test
    void fullStateFolderGivesRebootFailedInTheReplyItselfNeverScheduled() throws Exception {
        lockFiles = List.of();
        makePending(KERNEL_PKG);
        startNode();
        // The disk fills up: a new file gets no room, appends to the files already there still fit in their
        // last block (the replay memory's line, the audit's), as ext4 behaves when nearly full.
        diskFull = true;

        Reply reply = reboot();

        assertEquals(ReplyStatus.FAILED, reply.status(), reply.message());
        assertEquals("reboot_failed: cannot write the journal in the state folder " + state + " (No space left on "
                + "device); not rebooting: free space in the state folder or make it writable, then ask again",
                reply.message());
        assertStillServing();
        assertEquals(List.of(), executor.plans);
        assertTrue(nodeEvents(EventType.REBOOTING).isEmpty());
        assertTrue(journal().pending().isEmpty(), "no promise recorded");
        try (Stream<Path> files = Files.list(state)) {
            assertEquals(List.of("audit-reboot-refusals.jsonl", "audit.jsonl", "seen-requests"),
                    files.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary file left");
        }

        diskFull = false; // space freed: the same node schedules the next request
        Reply again = reboot();
        assertEquals(ReplyStatus.SCHEDULED, again.status(), again.message());
        client.event(EventType.REBOOTING, again.requestId());
    }

    @Test
    void stateFolderThatCannotBeWrittenKeepsTheNodeFromStarting() throws Exception {
        Files.writeString(state, "a file where the state folder should be");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ResponderWiring.responder(config(), ResponderWiring.facts(config(), Clock.systemUTC()), executor,
                        rebootThread, event -> { }, Clock.systemUTC(), TestTrust.shared().node(identity)));

        assertEquals("state folder " + state + " is not a folder; remove what is there or set reboot.state_dir to "
                + "another path", e.getMessage());
    }

    // -------------------------------------------------------------------------------------- one at a time

    @Test
    void rebootRequestedWhileAnotherWaitsForAConfigRunIsDenied() throws Exception {
        makePending(KERNEL_PKG);
        lock();
        startNode();
        Reply first = reboot();
        assertEquals(ReplyStatus.SCHEDULED, first.status(), first.message());

        Reply second = reboot();

        assertEquals(ReplyStatus.DENIED, second.status(), second.message());
        assertEquals("a reboot is already under way on this node (request " + first.requestId() + ")",
                second.message());
        JournalEntry promised = eventually().until(() -> journal().pending(), Optional::isPresent).orElseThrow();
        assertEquals(first.requestId(), promised.requestId(), "the first promise stands");
    }

    @Test
    void rebootRequestedAfterTheRebootCommandRanIsDenied() throws Exception {
        lockFiles = List.of();
        makePending(KERNEL_PKG);
        startNode();
        Reply first = reboot();
        eventually().until(() -> executor.plans.size() == 1);

        Reply second = reboot();

        assertEquals(ReplyStatus.DENIED, second.status(), second.message());
        assertTrue(second.message().contains("already under way"), second.message());
        assertStillServing();
        assertEquals(1, executor.plans.size());
        assertEquals(1, nodeEvents(EventType.REBOOTING).size());
        assertEquals(first.requestId(), journal().pending().orElseThrow().requestId());
    }
}
