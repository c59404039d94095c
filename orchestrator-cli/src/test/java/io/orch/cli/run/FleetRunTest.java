package io.orch.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orch.cli.ExitCode;
import io.orch.cli.inventory.LastSeen;
import io.orch.cli.options.Amount;
import io.orch.protocol.envelope.Action;
import io.orch.protocol.envelope.ReplyStatus;
import io.orch.protocol.envelope.Request;
import io.orch.protocol.filter.FilterSpec;
import io.orch.protocol.payload.RebootParams;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rules of a rolling reboot, each proven against the fake bus in milliseconds: no broker, no sleep. */
class FleetRunTest {
    @TempDir
    Path state;

    private final FakeBus bus = new FakeBus();
    private final List<String> warnings = new ArrayList<>();
    private final List<NodeResult> told = new ArrayList<>();
    private Amount batch = Amount.parse("2");
    private boolean waitForBack = true;
    private Duration waitTimeout = Duration.ofSeconds(60);
    private boolean requireClear;
    private Amount maxFailures;
    private FilterSpec filter = FilterSpec.EMPTY;
    private RunSettings.Targets targets = RunSettings.Targets.ALL;
    private FleetRun run;

    private FleetRun fleetRun() {
        if (run == null) {
            RunSettings.Batching batching = new RunSettings.Batching(batch, Duration.ZERO, waitForBack,
                    waitForBack ? waitTimeout : null, requireClear, maxFailures, Duration.ofSeconds(20));
            RebootParams params = new RebootParams(RebootParams.When.PENDING, false, false, 0, null, List.of(),
                    List.of());
            RunSettings settings = new RunSettings(Action.REBOOT, params, false, true, filter,
                    new RunSettings.Sender("orch", "tester", "jump1"), targets,
                    Duration.ofSeconds(10), batching, Map.of("wait", waitForBack));
            run = new FleetRun(bus, settings, LastSeen.load(state, "orch"), known(), new RunListener() {
                @Override
                public void node(NodeResult node) {
                    told.add(node);
                }

                @Override
                public void warning(String why) {
                    warnings.add(why);
                }
            }, FleetRun.Confirmation.NONE, bus.clock);
        }
        return run;
    }

    private io.orch.cli.inventory.InventoryCache known;

    /** This host's record of known nodes, kept in the test's state folder. */
    io.orch.cli.inventory.InventoryCache known() {
        if (known == null) {
            known = io.orch.cli.inventory.InventoryCache.load(state, "orch", "tcp://fake:61616", Duration.ofDays(30));
        }
        return known;
    }

    private RunReport runIt() throws Exception {
        return fleetRun().run(bus.clock.nanoTime());
    }

    private static Map<String, NodeResult> rows(RunReport report) {
        return report.nodes().stream().collect(Collectors.toMap(NodeResult::identity, n -> n));
    }

    private long sentAtMs(Request request) {
        return bus.sentAt.get(request.id()) / 1_000_000;
    }

    private static FilterSpec identities(String... identities) {
        return new FilterSpec(List.of(), List.of(identities), null);
    }

    @Test
    void exactIdentitiesAreAskedOnTheirOwnTopicsAndDiscoveryEndsAtTheLastAnswer() throws Exception {
        filter = identities("a", "b");
        bus.node("a");
        bus.node("b");
        bus.node("c");

        RunReport report = runIt();

        Request discover = bus.sent(Action.DISCOVER).get(0);
        assertEquals(java.util.Set.of("a", "b"), bus.addressed.get(discover.id()));
        // A reboot still waits its quiet window after the last answer (a second responder as "b" must be caught
        // before anything is sent); a ping, status or --noop ends at b's answer (DiscoveryTest, DirectAddressingTest).
        assertEquals(2_000L, report.timingsMs().get("discovery"));
        assertEquals(List.of("a", "b"), report.batches().get(0).nodes());
        assertFalse(rows(report).containsKey("c"), "c was never asked");
        assertEquals(discover.filter(), filter, "the whole filter goes with the addressed request");
    }

    @Test
    void anAddressedNodeThatDoesNotAnswerIsNoResponseWithExitFour() throws Exception {
        filter = identities("a", "gone");
        bus.node("a");
        bus.node("b");

        RunReport report = runIt();

        Request discover = bus.sent(Action.DISCOVER).get(0);
        assertEquals(java.util.Set.of("a", "gone"), bus.addressed.get(discover.id()));
        assertEquals(NodeResult.NO_RESPONSE, rows(report).get("gone").status());
        assertEquals(10_000L, report.timingsMs().get("discovery"), "waited for it until --discovery-timeout");
        assertEquals(ExitCode.NO_RESPONSE, report.exitCode());
    }

    @Test
    void aRegexAmongTheIdentitiesBroadcastsAsBefore() throws Exception {
        filter = identities("a", "/^b/");
        bus.node("a");
        bus.node("b1");
        bus.node("c");

        RunReport report = runIt();

        Request discover = bus.sent(Action.DISCOVER).get(0);
        assertEquals(java.util.Set.of(), bus.addressed.get(discover.id()));
        assertEquals(List.of("a", "b1", "c"), report.batches().stream().flatMap(b -> b.nodes().stream()).toList(),
                "the fake's nodes all match: what a broadcast reaches");
    }

    @Test
    void listedNodesAndIdentitiesAreAddressedTogetherAndAnExcludedOneIsAskedButNotAwaited() throws Exception {
        filter = identities("c");
        targets = new RunSettings.Targets(java.util.Set.of("a", "b"), java.util.Set.of("b", "x"), "skip.txt", null,
                null);
        bus.node("a");
        bus.node("b");
        bus.node("c");
        bus.node("d");
        bus.node("x").answersDiscovery = false;

        RunReport report = runIt();

        Request discover = bus.sent(Action.DISCOVER).get(0);
        assertEquals(java.util.Set.of("a", "b", "c"), bus.addressed.get(discover.id()));
        assertEquals(NodeResult.SKIPPED, rows(report).get("b").status());
        assertFalse(rows(report).containsKey("d"));
        assertFalse(rows(report).containsKey("x"));
        assertEquals(ExitCode.OK, report.exitCode(), report::toString);
    }

    @Test
    void anExcludedNodeThatRefusesDiscoveryIsSkippedAndFailsNothing() throws Exception {
        targets = new RunSettings.Targets(java.util.Set.of("a", "b"), java.util.Set.of("b"), "skip.txt", null, null);
        bus.node("a");
        bus.node("b").discoveryAnswer = ReplyStatus.DENIED;

        RunReport report = runIt();

        NodeResult b = rows(report).get("b");
        assertEquals(NodeResult.SKIPPED, b.status(), report::toString);
        assertTrue(b.message().startsWith("excluded by --exclude-nodes skip.txt (it answered denied: "), b::toString);
        assertEquals(NodeResult.REBOOTED, rows(report).get("a").status(), report::toString);
        assertEquals(ExitCode.OK, report.exitCode(), report::toString);
        assertEquals(List.of("a"), report.batches().stream().flatMap(x -> x.nodes().stream()).toList(),
                "b is in no batch: never asked to reboot");
    }

    @Test
    void aNodeThatRefusesDiscoveryAndIsNotExcludedFailsTheRun() throws Exception {
        bus.node("a");
        bus.node("b").discoveryAnswer = ReplyStatus.DENIED;

        RunReport report = runIt();

        assertEquals("denied", rows(report).get("b").status(), report::toString);
        assertEquals(ExitCode.NODE_FAILED, report.exitCode(), report::toString);
    }

    @Test
    void nextBatchStartsAsSoonAsEveryNodeOfThisOneIsBackOrFailed() throws Exception {
        bus.node("a").backAfter(4_000);
        bus.node("b").failsAfter(2_000);
        bus.node("c");
        bus.node("d");

        RunReport report = runIt();

        List<Request> reboots = bus.sent(Action.REBOOT);
        assertEquals(2, reboots.size());
        long between = sentAtMs(reboots.get(1)) - sentAtMs(reboots.get(0));
        assertTrue(between >= 4_000 && between < 5_000, "batch 2 went " + between + " ms after batch 1");
        assertEquals(NodeResult.REBOOTED, rows(report).get("a").status());
        assertEquals(NodeResult.REBOOT_FAILED, rows(report).get("b").status());
        assertEquals(List.of("c", "d"), report.batches().get(1).nodes());
        assertTrue(bus.sent(Action.STATUS).isEmpty(), "nobody was late, so nobody was probed");
        assertEquals(ExitCode.NODE_FAILED, report.exitCode());
    }

    @Test
    void nextBatchWaitsForANodeThatDoesNotComeBackUntilTheWaitTimeoutAndAProbe() throws Exception {
        bus.node("a").backAfter(4_000);
        bus.node("b").neverBack().silentToProbes();
        bus.node("c");

        RunReport report = runIt();

        List<Request> reboots = bus.sent(Action.REBOOT);
        long between = sentAtMs(reboots.get(1)) - sentAtMs(reboots.get(0));
        assertTrue(between >= 60_000, "batch 2 went " + between + " ms after batch 1, before --wait-timeout");
        Request probe = bus.sent(Action.STATUS).get(0);
        assertTrue(sentAtMs(probe) < sentAtMs(reboots.get(1)), "the late node is probed before the next batch");
        NodeResult late = rows(report).get("b");
        assertEquals(NodeResult.NOT_BACK, late.status());
        assertEquals("not back within --wait-timeout 60s (went down, no answer since)", late.message());
        assertEquals("timed_out", report.batches().get(0).outcome());
        assertEquals(NodeResult.REBOOTED, rows(report).get("c").status());
        assertEquals(ExitCode.NO_RESPONSE, report.exitCode());
    }

    /**
     * --wait-timeout 60s with --delay 61s: a node whose shutdown rounds the delay up to 120 s says so, and
     * is given those 59 s more; so is a node that does not say (shutdown's whole minutes assumed); a node
     * whose command waits exactly the 61 s is not.
     */
    @Test
    void eachNodeIsWaitedForOnTheDelayItsExecutorReallyApplies() throws Exception {
        batch = Amount.parse("1");
        bus.node("a-rounds").reportsDelay(61, 120L).backAfter(100_000);
        bus.node("b-silent").reportsDelay(61, null).backAfter(100_000);
        bus.node("c-exact").reportsDelay(61, 61L).backAfter(100_000);

        RunReport report = runIt();

        assertEquals(NodeResult.REBOOTED, rows(report).get("a-rounds").status(), rows(report).toString());
        assertEquals(NodeResult.REBOOTED, rows(report).get("b-silent").status(), rows(report).toString());
        assertEquals(NodeResult.NOT_BACK, rows(report).get("c-exact").status(), rows(report).toString());
        List<Request> reboots = bus.sent(Action.REBOOT);
        long between = sentAtMs(reboots.get(1)) - sentAtMs(reboots.get(0));
        assertTrue(between >= 100_000 && between < 101_000, "batch 2 went " + between + " ms after batch 1");
        List<Request> probes = bus.sent(Action.STATUS);
        Request probe = probes.get(probes.size() - 1); // earlier ones: quiet-spell probes of the slow nodes
        long waited = sentAtMs(probe) - sentAtMs(reboots.get(2));
        assertTrue(waited >= 60_000 && waited < 61_000, "the exact node was probed after " + waited + " ms");
    }

    @Test
    void aNodesReportedDelayAddsAtMostTheLimitToItsWait() {
        FakeBus.Node node = new FakeBus.Node("x").reportsDelay(0, Long.MAX_VALUE);
        NodeResult row = new NodeResult("x", "scheduled", "", List.of(),
                new io.orch.protocol.payload.RebootData(node.resource, List.of(), Map.of(), "b"), 5);

        assertEquals(Duration.ofSeconds(io.orch.protocol.Limits.MAX_CLI_EXTRA_WAIT_SECONDS),
                Rollout.executorExtra(row));
        assertEquals(Duration.ZERO, Rollout.executorExtra(new NodeResult("x", "scheduled", "", List.of(),
                new io.orch.protocol.payload.RebootData(new FakeBus.Node("y").reportsDelay(61, 0L).resource,
                        List.of(), Map.of(), "b"), 5)), "a command given no delay adds nothing");
    }

    @Test
    void maxFailuresStopsTheRunBeforeTheNextBatchWithExitCode5() throws Exception {
        batch = Amount.parse("1");
        maxFailures = Amount.parse("1");
        bus.node("a").failsAfter(2_000);
        bus.node("b");
        bus.node("c");

        RunReport report = runIt();

        assertEquals(1, bus.sent(Action.REBOOT).size());
        assertEquals(RunReport.STOP_MAX_FAILURES, report.stopReason());
        for (String node : List.of("b", "c")) {
            assertEquals(NodeResult.NOT_STARTED, rows(report).get(node).status());
            assertEquals("not started: the run stopped after 1 failed node(s) (--max-failures 1)",
                    rows(report).get(node).message());
        }
        assertEquals(ExitCode.MAX_FAILURES, report.exitCode());
    }

    @Test
    void withRequireClearANodeBackButStillPendingCountsAsFailed() throws Exception {
        requireClear = true;
        bus.node("a").stillPendingAfterBoot();

        RunReport report = runIt();

        NodeResult a = rows(report).get("a");
        assertEquals(NodeResult.STILL_PENDING, a.status());
        assertEquals("back after 3s down, but a reboot is still pending (kernel_update) and --require-clear is set",
                a.message());
        assertEquals(ExitCode.NODE_FAILED, report.exitCode());
    }

    @Test
    void withoutRequireClearANodeBackButStillPendingIsRebootedAndSaysSo() throws Exception {
        bus.node("a").stillPendingAfterBoot();

        RunReport report = runIt();

        assertEquals(NodeResult.REBOOTED, rows(report).get("a").status());
        assertEquals("back after 3s down; still pending: kernel_update", rows(report).get("a").message());
        assertEquals(ExitCode.OK, report.exitCode());
    }

    @Test
    void aNodeWhoseScheduledCameAfterTheDeadlineIsListedAsMayStillReboot() throws Exception {
        waitForBack = false;
        bus.node("a");
        bus.node("b").repliesAfter(25_000);

        RunReport report = runIt();

        NodeResult b = rows(report).get("b");
        assertEquals(NodeResult.NO_RESPONSE, b.status());
        assertEquals("matched, then did not answer reboot; it may still reboot if its reply was on the way (check "
                + "with orch status)", b.message());
        assertTrue(b.mayStillReboot());
        assertEquals(List.of("a", "b"), report.inFlight().stream().map(NodeResult::identity).toList());
        assertEquals(ExitCode.NO_RESPONSE, report.exitCode());
    }

    @Test
    void aNodeWhoseReplyWasLostIsStillFollowedByItsEvents() throws Exception {
        bus.node("a").repliesAfter(25_000);
        bus.node("b").backAfter(30_000); // the batch waits for b, and hears a meanwhile

        RunReport report = runIt();

        assertTrue(told.stream().anyMatch(r -> r.identity().equals("a") && r.status().equals("scheduled")
                && r.message().equals("its reply was lost, but it is rebooting")), told::toString);
        assertEquals(NodeResult.REBOOTED, rows(report).get("a").status());
    }

    @Test
    void ctrlCDuringABatchStillReadsItsRepliesSendsNothingNewAndExits130() throws Exception {
        for (String node : List.of("a", "b", "c", "d")) {
            bus.node(node);
        }
        bus.duringBatch(1, () -> fleetRun().stop());

        RunReport report = runIt();

        assertEquals(1, bus.sent(Action.REBOOT).size(), "no new batch after Ctrl-C");
        assertEquals("scheduled", rows(report).get("a").status());
        assertEquals("scheduled", rows(report).get("b").status());
        assertEquals(NodeResult.NOT_STARTED, rows(report).get("c").status());
        assertEquals("not started: the run was interrupted", rows(report).get("d").message());
        assertEquals(List.of("a", "b"), report.inFlight().stream().map(NodeResult::identity).toList());
        assertEquals("interrupted", report.batches().get(0).outcome());
        assertEquals(ExitCode.INTERRUPTED, report.exitCode());
    }

    @Test
    void ctrlCWhileWaitingForNodesLeavesThemScheduledAndStartsNoBatch() throws Exception {
        for (String node : List.of("a", "b", "c")) {
            bus.node(node);
        }
        bus.at(3_500, () -> fleetRun().stop()); // discovery ends at 3000, the batch goes out then

        RunReport report = runIt();

        assertEquals(1, bus.sent(Action.REBOOT).size());
        assertEquals("reboot scheduled; not back yet when the run was interrupted", rows(report).get("a").message());
        assertEquals(NodeResult.NOT_STARTED, rows(report).get("c").status());
        assertEquals(ExitCode.INTERRUPTED, report.exitCode());
    }

    @Test
    void brokerLostMidBatchPrintsTheReportTellsSentFromNotSentAndExits3() throws Exception {
        for (String node : List.of("a", "b", "c", "e", "f")) {
            bus.node(node);
        }
        bus.node("d").repliesAfter(200);
        bus.brokerLostDuringBatch(2, 100);

        RunReport report = runIt();

        Map<String, NodeResult> rows = rows(report);
        assertEquals(NodeResult.REBOOTED, rows.get("a").status());
        assertEquals("scheduled", rows.get("c").status(), "its reply came before the broker went");
        assertEquals(NodeResult.NO_RESPONSE, rows.get("d").status());
        assertEquals("the broker was lost during this batch; it may have received the request and may reboot "
                + "(check with orch status)", rows.get("d").message());
        assertTrue(rows.get("d").mayStillReboot());
        assertEquals(NodeResult.NOT_STARTED, rows.get("e").status());
        assertEquals("not started: the broker was lost", rows.get("f").message());
        assertEquals(RunReport.STOP_BROKER_LOST, report.stopReason());
        assertEquals(2, report.requestIds().get("reboot").size());
        assertEquals(1, warnings.size(), warnings::toString);
        assertEquals(ExitCode.BROKER_UNREACHABLE, report.exitCode());
    }

    @Test
    void brokerLostBeforeABatchWentOutLeavesItsNodesNotStarted() throws Exception {
        for (String node : List.of("a", "b", "c", "d")) {
            bus.node(node);
        }
        bus.brokerLostDuringBatch(2, 0);

        RunReport report = runIt();

        assertEquals(NodeResult.NOT_STARTED, rows(report).get("c").status());
        assertEquals("not started: the broker was lost", rows(report).get("d").message());
        assertEquals(1, report.requestIds().get("reboot").size(), "batch 2 was never sent");
        assertEquals(ExitCode.BROKER_UNREACHABLE, report.exitCode());
    }

    @Test
    void brokerLostWhileWaitingKeepsTheRepliesAndExits3() throws Exception {
        bus.node("a").downAfter(10_000);
        bus.node("b");
        bus.node("c");
        bus.brokerLostAt(5_000); // the batch went out at 3000; b went down at 4000

        RunReport report = runIt();

        assertEquals("scheduled", rows(report).get("a").status());
        assertEquals("rebooting when the broker was lost", rows(report).get("b").message());
        assertEquals(NodeResult.NOT_STARTED, rows(report).get("c").status());
        assertEquals(ExitCode.BROKER_UNREACHABLE, report.exitCode());
    }

    @Test
    void brokerLostDuringDiscoveryNeverGoesOnToTheRolloutAndSaysBrokerLost() throws Exception {
        bus.node("a");
        bus.node("b");
        bus.brokerLostDuringDiscovery(false);

        RunReport report = runIt();

        assertTrue(bus.sent(Action.REBOOT).isEmpty(), "nothing is sent over a dead bus");
        assertEquals(RunReport.STOP_BROKER_LOST, report.stopReason());
        assertEquals("not started: the broker was lost during discovery", rows(report).get("a").message());
        assertEquals(NodeResult.NOT_STARTED, rows(report).get("b").status());
        assertEquals(ExitCode.BROKER_UNREACHABLE, report.exitCode());
    }

    /**
     * Ctrl-C stops the bus, and the broker loss it brings about can reach discovery before the stop does:
     * the run is still interrupted, with a stop reason, and never goes on to the rollout.
     */
    @Test
    void brokerLostAfterTheOperatorsStopIsAnInterruptionAndNeverGoesOnToTheRollout() throws Exception {
        bus.node("a");
        bus.node("b");
        bus.brokerLostDuringDiscovery(true);

        RunReport report = runIt();

        assertTrue(bus.sent(Action.REBOOT).isEmpty(), "nothing is sent over a dead bus");
        assertEquals(RunReport.STOP_INTERRUPTED, report.stopReason());
        assertEquals("not started: the run was interrupted during discovery", rows(report).get("a").message());
        assertEquals(NodeResult.NOT_STARTED, rows(report).get("b").status());
        assertEquals(ExitCode.INTERRUPTED, report.exitCode());
    }

    @Test
    void aDuplicateIdentityInDiscoveryIsFailedAndNeverSentTheReboot() throws Exception {
        bus.node("a");
        bus.node("twin").twoResponders();

        RunReport report = runIt();

        NodeResult twin = rows(report).get("twin");
        assertEquals("failed", twin.status());
        assertEquals("more than one responder answered as this identity; not acted on", twin.message());
        assertEquals(List.of("a"), report.batches().get(0).nodes());
        assertEquals(ExitCode.NODE_FAILED, report.exitCode());
    }

    @Test
    void aDuplicateIdentityThatScheduledInABatchIsFailedAndMayStillReboot() throws Exception {
        waitForBack = false;
        bus.node("twin").twoRespondersToReboot();

        RunReport report = runIt();

        NodeResult twin = rows(report).get("twin");
        assertEquals("failed", twin.status());
        assertEquals("more than one responder answered as this identity (one said scheduled); each acts on its own "
                + "reply: check with orch status", twin.message());
        assertTrue(twin.mayStillReboot());
        assertEquals(ExitCode.NODE_FAILED, report.exitCode());
    }

    @Test
    void aLateReturnUpdatesNotBack() throws Exception {
        bus.node("a").backAfter(90_000).silentToProbes();
        bus.node("b");
        bus.node("c").backAfter(60_000);
        batch = Amount.parse("2");

        RunReport report = runIt();

        NodeResult a = rows(report).get("a");
        assertEquals(NodeResult.NOT_BACK, a.status());
        assertTrue(a.message().startsWith("not back within --wait-timeout 60s (went down, no answer since); came "
                + "back later, "), a.message());
        assertTrue(a.message().endsWith("s into the run"), a.message());
        assertEquals(NodeResult.REBOOTED, rows(report).get("c").status());
        assertEquals(ExitCode.NO_RESPONSE, report.exitCode());
    }

    @Test
    void aProbeFindsANodeWhoseRebootedEventWentAstray() throws Exception {
        waitTimeout = Duration.ofSeconds(10);
        bus.node("a").backAfter(5_000);

        RunReport report = fleetRunWithoutEvents("a");

        assertEquals(NodeResult.REBOOTED, report.nodes().get(0).status());
        assertEquals("back with a new boot id (its rebooted event was not seen); nothing pending",
                report.nodes().get(0).message());
    }

    /**
     * Its events are lost (a bridge down), so the batch hears nothing: after a quiet minute it asks, and
     * the node is found back then, not at the end of the 15-minute --wait-timeout.
     */
    @Test
    void aQuietSpellBringsTheProbeForwardWhenEventsAreLost() throws Exception {
        waitTimeout = Duration.ofMinutes(15);
        batch = Amount.parse("1");
        bus.node("a").backAfter(90_000);
        bus.node("b").backAfter(5_000);
        bus.dropEvents("a");
        bus.dropEvents("b");

        RunReport report = fleetRun().run(bus.clock.nanoTime());

        assertEquals(NodeResult.REBOOTED, rows(report).get("a").status());
        assertEquals(NodeResult.REBOOTED, rows(report).get("b").status());
        assertEquals("back with a new boot id (its rebooted event was not seen); nothing pending",
                rows(report).get("b").message());
        List<Request> reboots = bus.sent(Action.REBOOT);
        long firstBatch = sentAtMs(reboots.get(1)) - sentAtMs(reboots.get(0));
        // a: still down at the first quiet-spell probe (60 s), back at 90 s, found by the second (120 s + its answer)
        assertTrue(firstBatch >= 120_000 && firstBatch < 121_000, "batch 2 went " + firstBatch + " ms after batch 1");
        assertEquals(3, bus.sent(Action.STATUS).size(), "two probes for a, one for b");
        assertEquals(ExitCode.OK, report.exitCode());
    }

    @Test
    void aNodeHeardFromKeepsTheProbeAway() throws Exception {
        waitTimeout = Duration.ofMinutes(15);
        bus.node("a").downAfter(50_000).backAfter(100_000);

        RunReport report = runIt();

        assertEquals(NodeResult.REBOOTED, rows(report).get("a").status());
        // rebooting at 50 s, rebooted at 100 s: never a minute without news
        assertTrue(bus.sent(Action.STATUS).isEmpty(), "probed: " + bus.sent(Action.STATUS));
    }

    /** The node reboots, but none of its events reach the run: only the probe can tell. */
    private RunReport fleetRunWithoutEvents(String node) throws Exception {
        FleetRun fleet = fleetRun();
        bus.dropEvents(node);
        return fleet.run(bus.clock.nanoTime());
    }

    @Test
    void theBusIsAskedNothingAfterTheRunAndEveryRequestCarriesTheSender() throws Exception {
        bus.node("a");

        runIt();

        assertFalse(bus.sent.isEmpty());
        bus.sent.forEach(r -> assertEquals("tester", r.caller()));
        assertEquals(List.of(Action.DISCOVER, Action.REBOOT), bus.sent.stream().map(Request::action).toList());
    }

    @Test
    void replyStatusesThatDoNotRebootAreReportedAsGiven() throws Exception {
        bus.node("a").answers(ReplyStatus.NOT_PENDING);
        bus.node("b").answers(ReplyStatus.DENIED);

        RunReport report = runIt();

        assertEquals("not_pending", rows(report).get("a").status());
        assertEquals("denied", rows(report).get("b").status());
        assertEquals(ExitCode.NODE_FAILED, report.exitCode());
    }
}
