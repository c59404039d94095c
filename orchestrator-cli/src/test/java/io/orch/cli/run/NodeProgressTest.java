package io.orch.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orch.cli.run.NodeInput.BrokerLost;
import io.orch.cli.run.NodeInput.DeadlinePassed;
import io.orch.cli.run.NodeInput.EventReceived;
import io.orch.cli.run.NodeInput.Interrupted;
import io.orch.cli.run.NodeInput.ProbeAnswered;
import io.orch.cli.run.NodeInput.ReplyReceived;
import io.orch.cli.run.NodeProgress.Stage;
import io.orch.protocol.envelope.Event;
import io.orch.protocol.envelope.EventType;
import io.orch.protocol.envelope.Reply;
import io.orch.protocol.envelope.ReplyStatus;
import java.time.Duration;
import java.time.Instant;
import io.orch.protocol.payload.EventData;
import io.orch.protocol.payload.LoopGuardState;
import io.orch.protocol.payload.NoData;
import io.orch.protocol.payload.Reason;
import io.orch.protocol.payload.RebootData;
import io.orch.protocol.payload.RebootFailedData;
import io.orch.protocol.payload.RebootedData;
import io.orch.protocol.payload.RebootingData;
import io.orch.protocol.payload.StatusData;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One node's progress through a batch, input by input: pure transitions, no bus, no clock. */
class NodeProgressTest {
    private static final Instant T = Instant.parse("2026-11-22T02:00:00Z");
    private static final NodeProgress.Rules WAIT = new NodeProgress.Rules(1, "r-1", "reboot", true, true, false,
            "--wait-timeout 900s");
    private static final NodeProgress.Rules NO_WAIT = new NodeProgress.Rules(1, "r-1", "reboot", true, false, false,
            null);

    private static ReplyReceived reply(ReplyStatus status) {
        return new ReplyReceived(new NodeReply(new Reply("r-1", "web01", "reboot", true, status, status.label(),
                new RebootData(null, List.of(), Map.of(), "b1"), T), Duration.ofMillis(42)), false);
    }

    private static EventReceived event(EventType type, String requestId, EventData data) {
        return new EventReceived(new Event(type, "web01", "b2", requestId, T, data), 1_000, 5_000);
    }

    private static EventReceived rebooted(String requestId, String newBootId, Duration downtime,
                                          List<Reason> pending) {
        return event(EventType.REBOOTED, requestId, new RebootedData("b1", newBootId, downtime, T, !pending.isEmpty(),
                pending, false));
    }

    private static ProbeAnswered probe(String bootId, String rebootUnderway) {
        return new ProbeAnswered(new Reply("p-1", "web01", "status", true, ReplyStatus.OK, "ok", new StatusData(false,
                List.of(), Map.of(), bootId, 60, Map.of(), null, null, LoopGuardState.CLEAR, rebootUnderway, null), T),
                900_000);
    }

    private static NodeProgress awaited() {
        return NodeProgress.sent("web01").on(reply(ReplyStatus.SCHEDULED), WAIT);
    }

    @Test
    void aScheduledReplyIsAwaitedWhenTheRunWaitsAndPlacedInItsBatch() {
        NodeProgress p = awaited();

        assertEquals(Stage.AWAITED, p.stage());
        assertEquals("scheduled", p.row().status());
        assertEquals(1, p.row().batch());
        assertEquals("r-1", p.row().requestId());
        assertEquals(42L, p.row().timingsMs().get("reply"));
    }

    @Test
    void aScheduledReplyIsOnlyAnsweredWhenTheRunDoesNotWait() {
        assertEquals(Stage.ANSWERED, NodeProgress.sent("web01").on(reply(ReplyStatus.SCHEDULED), NO_WAIT).stage());
    }

    @Test
    void rebootingKeepsItAwaitedAndRebootedWithANewBootIdBringsItBack() {
        NodeProgress down = awaited().on(event(EventType.REBOOTING, "r-1", new RebootingData(0, List.of())), WAIT);
        assertEquals(Stage.AWAITED, down.stage());
        assertEquals(NodeProgress.REBOOTING, down.row().status());

        NodeProgress back = down.on(rebooted("r-1", "b2", Duration.ofMillis(3_200), List.of()), WAIT);

        assertEquals(Stage.DONE, back.stage());
        assertEquals(NodeResult.REBOOTED, back.row().status());
        assertEquals("back after 3.2s down; nothing pending", back.row().message());
        assertEquals(3_200L, back.row().timingsMs().get("downtime"));
    }

    @Test
    void rebootedWithTheSameBootIdOrForAnotherRequestChangesNothing() {
        NodeProgress p = awaited();

        assertSame(p, p.on(rebooted("r-1", "b1", null, List.of()), WAIT));
        assertSame(p, p.on(rebooted("other", "b2", null, List.of()), WAIT));
        assertSame(p, p.on(event(EventType.STARTED, "r-1", NoData.INSTANCE), WAIT));
    }

    @Test
    void backStillPendingNamesTheReasonsAndFailsWithRequireClear() {
        List<Reason> pending = List.of(new Reason("kernel_update", "newer kernel", Map.of("running", "6.1")));
        NodeProgress.Rules clear = new NodeProgress.Rules(1, "r-1", "reboot", true, true, true, "--wait-timeout 900s");

        NodeProgress back = awaited().on(rebooted("r-1", "b2", null, pending), WAIT);
        NodeProgress notClear = awaited().on(rebooted("r-1", "b2", null, pending), clear);

        assertEquals("back after its reboot; still pending: kernel_update", back.row().message());
        assertEquals(NodeResult.STILL_PENDING, notClear.row().status());
    }

    @Test
    void aFailedOrCancelledRebootIsDone() {
        NodeProgress failed = awaited().on(event(EventType.REBOOT_FAILED, "r-1", new RebootFailedData("locked")), WAIT);
        assertEquals(NodeResult.REBOOT_FAILED, failed.row().status());
        assertEquals("did not reboot: locked", failed.row().message());

        NodeProgress cancelled = awaited().on(event(EventType.CANCELLED, "r-1", NoData.INSTANCE), WAIT);
        assertEquals("cancelled", cancelled.row().status());
        assertEquals(Stage.DONE, cancelled.stage());
    }

    @Test
    void noReplyToARealRebootMayStillRebootAndToANoopIsPlainNoResponse() {
        NodeProgress silent = NodeProgress.sent("web01").on(new DeadlinePassed(), WAIT);
        assertEquals(Stage.UNCONFIRMED, silent.stage());
        assertTrue(silent.row().mayStillReboot());

        NodeProgress.Rules noop = new NodeProgress.Rules(1, "r-1", "reboot", false, true, false, null);
        NodeProgress plain = NodeProgress.sent("web01").on(new DeadlinePassed(), noop);
        assertEquals(Stage.DONE, plain.stage());
        assertEquals("matched, then did not answer reboot", plain.row().message());
        assertFalse(plain.row().mayStillReboot());
    }

    @Test
    void aProbeWithANewBootIdIsBackAndWithTheOldOneIsNotBack() {
        NodeProgress back = awaited().on(probe("b2", null), WAIT);
        assertEquals(NodeResult.REBOOTED, back.row().status());

        NodeProgress same = awaited().on(probe("b1", null), WAIT);
        assertEquals(Stage.LATE, same.stage());
        assertEquals("not back within --wait-timeout 900s: still up on the same boot id, the reboot has not happened",
                same.row().message());
    }

    @Test
    void aQuietSpellProbeCountsOnlyANewBootIdAndOtherwiseLeavesTheNodeAwaited() {
        NodeProgress back = awaited().on(new NodeInput.EarlyProbeAnswered(probe("b2", null).reply(), 60_000), WAIT);
        assertEquals(NodeResult.REBOOTED, back.row().status());
        assertEquals(Stage.DONE, back.stage());

        NodeProgress waiting = awaited();
        assertSame(waiting, waiting.on(new NodeInput.EarlyProbeAnswered(probe("b1", null).reply(), 60_000), WAIT));
        assertSame(waiting, waiting.on(new NodeInput.EarlyProbeAnswered(probe("b1", "r-1").reply(), 60_000), WAIT));
        assertSame(waiting, waiting.on(new NodeInput.EarlyProbeAnswered(null, 60_000), WAIT));
    }

    @Test
    void aProbeFindingItsRebootStillUnderWayIsNotBackButMayStillReboot() {
        NodeProgress underway = awaited().on(probe("b1", "r-1"), WAIT);

        assertEquals(NodeResult.NOT_BACK, underway.row().status());
        assertTrue(underway.row().mayStillReboot());
    }

    @Test
    void aProbeRefusedWithoutStatusDataLeavesTheBootIdUnknown() {
        Reply refused = new Reply("p-1", "web01", "status", true, ReplyStatus.EXPIRED, "request expired",
                NoData.INSTANCE, T);

        NodeProgress unknown = awaited().on(new ProbeAnswered(refused, 900_000), WAIT);

        assertEquals("not back within --wait-timeout 900s; it answered expired: request expired; boot id unknown",
                unknown.row().message());
        assertTrue(unknown.row().mayStillReboot());
    }

    @Test
    void noAnswerToTheProbeBeforeItWentDownMayStillReboot() {
        NodeProgress silent = awaited().on(new ProbeAnswered(null, 900_000), WAIT);

        assertEquals("not back within --wait-timeout 900s (no answer; its reboot may still happen)",
                silent.row().message());
        assertTrue(silent.row().mayStillReboot());
    }

    @Test
    void ctrlCWhileAwaitedLeavesItScheduled() {
        NodeProgress p = awaited().on(new Interrupted(), WAIT);

        assertEquals("scheduled", p.row().status());
        assertEquals("reboot scheduled; not back yet when the run was interrupted", p.row().message());
    }

    @Test
    void aBrokerLostBeforeItsReplyMeansItMayHaveReceivedTheRequest() {
        NodeProgress p = NodeProgress.sent("web01").on(new BrokerLost(), WAIT);

        assertEquals(NodeResult.NO_RESPONSE, p.row().status());
        assertTrue(p.row().mayStillReboot());
        NodeProgress rebooting = awaited().on(event(EventType.REBOOTING, "r-1", new RebootingData(0, List.of())), WAIT).on(new BrokerLost(),
                WAIT);
        assertEquals("rebooting when the broker was lost", rebooting.row().message());
        assertSame(awaited().on(new BrokerLost(), WAIT).stage(), Stage.AWAITED);
    }

    @Test
    void aLateReturnKeepsNotBackAndSaysWhenItCame() {
        NodeProgress late = NodeProgress.late(awaited().on(new ProbeAnswered(null, 900_000), WAIT).row());

        NodeProgress back = late.on(rebooted("r-1", "b2", null, List.of()), null);

        assertEquals(NodeResult.NOT_BACK, back.row().status());
        assertTrue(back.row().message().endsWith("; came back later, 5s into the run"), back.row().message());
        assertSame(late, late.on(rebooted("other", "b2", null, List.of()), null));
    }
}
