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
                Map.of("boot_id", "b1"), T), Duration.ofMillis(42)), false);
    }

    private static EventReceived event(EventType type, String requestId, Map<String, Object> data) {
        return new EventReceived(new Event(type, "web01", "b2", requestId, T, data), 1_000, 5_000);
    }

    private static ProbeAnswered probe(Map<String, Object> data) {
        return new ProbeAnswered(new Reply("p-1", "web01", "status", true, ReplyStatus.OK, "ok", data, T), 900_000);
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
        NodeProgress down = awaited().on(event(EventType.REBOOTING, "r-1", Map.of()), WAIT);
        assertEquals(Stage.AWAITED, down.stage());
        assertEquals(NodeProgress.REBOOTING, down.row().status());

        NodeProgress back = down.on(event(EventType.REBOOTED, "r-1", Map.of("new_boot_id", "b2", "downtime_s", 3.2)),
                WAIT);

        assertEquals(Stage.DONE, back.stage());
        assertEquals(NodeResult.REBOOTED, back.row().status());
        assertEquals("back after 3.2s down; nothing pending", back.row().message());
        assertEquals(3_200L, back.row().timingsMs().get("downtime"));
    }

    @Test
    void rebootedWithTheSameBootIdOrForAnotherRequestChangesNothing() {
        NodeProgress p = awaited();

        assertSame(p, p.on(event(EventType.REBOOTED, "r-1", Map.of("new_boot_id", "b1")), WAIT));
        assertSame(p, p.on(event(EventType.REBOOTED, "other", Map.of("new_boot_id", "b2")), WAIT));
        assertSame(p, p.on(event(EventType.STARTED, "r-1", Map.of()), WAIT));
    }

    @Test
    void aFailedOrCancelledRebootIsDone() {
        NodeProgress failed = awaited().on(event(EventType.REBOOT_FAILED, "r-1", Map.of("error", "locked")), WAIT);
        assertEquals(NodeResult.REBOOT_FAILED, failed.row().status());
        assertEquals("did not reboot: locked", failed.row().message());

        NodeProgress cancelled = awaited().on(event(EventType.CANCELLED, "r-1", Map.of()), WAIT);
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
        NodeProgress back = awaited().on(probe(Map.of("boot_id", "b2", "pending", false)), WAIT);
        assertEquals(NodeResult.REBOOTED, back.row().status());

        NodeProgress same = awaited().on(probe(Map.of("boot_id", "b1")), WAIT);
        assertEquals(Stage.LATE, same.stage());
        assertEquals("not back within --wait-timeout 900s: still up on the same boot id, the reboot has not happened",
                same.row().message());
    }

    @Test
    void aProbeFindingItsRebootStillUnderWayIsNotBackButMayStillReboot() {
        NodeProgress underway = awaited().on(probe(Map.of("boot_id", "b1", "reboot_underway", "r-1")), WAIT);

        assertEquals(NodeResult.NOT_BACK, underway.row().status());
        assertTrue(underway.row().mayStillReboot());
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
        NodeProgress rebooting = awaited().on(event(EventType.REBOOTING, "r-1", Map.of()), WAIT).on(new BrokerLost(),
                WAIT);
        assertEquals("rebooting when the broker was lost", rebooting.row().message());
        assertSame(awaited().on(new BrokerLost(), WAIT).stage(), Stage.AWAITED);
    }

    @Test
    void aLateReturnKeepsNotBackAndSaysWhenItCame() {
        NodeProgress late = NodeProgress.late(awaited().on(new ProbeAnswered(null, 900_000), WAIT).row());

        NodeProgress back = late.on(event(EventType.REBOOTED, "r-1", Map.of("new_boot_id", "b2")), null);

        assertEquals(NodeResult.NOT_BACK, back.row().status());
        assertTrue(back.row().message().endsWith("; came back later, 5s into the run"), back.row().message());
        assertSame(late, late.on(event(EventType.REBOOTED, "other", Map.of()), null));
    }
}
