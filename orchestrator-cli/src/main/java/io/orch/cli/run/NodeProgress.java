package io.orch.cli.run;

import io.orch.cli.TimeText;
import io.orch.cli.run.NodeInput.BrokerLost;
import io.orch.cli.run.NodeInput.DeadlinePassed;
import io.orch.cli.run.NodeInput.EventReceived;
import io.orch.cli.run.NodeInput.Interrupted;
import io.orch.cli.run.NodeInput.ProbeAnswered;
import io.orch.cli.run.NodeInput.ReplyReceived;
import io.orch.protocol.envelope.Event;
import io.orch.protocol.envelope.EventType;
import io.orch.protocol.envelope.Reply;
import io.orch.protocol.envelope.ReplyStatus;
import io.orch.protocol.payload.RebootFailedData;
import io.orch.protocol.payload.RebootedData;
import io.orch.protocol.payload.StatusData;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Where one node of a batch stands, and its report row: sent, then answered, awaited back
 * (scheduled, rebooting), and at last back, failed, not back or still in flight. Each input makes
 * a new progress; an input that changes nothing returns this same one. No clock, no thread.
 *
 * @param row null until the node has a row (it is only {@link Stage#SENT})
 */
record NodeProgress(String identity, Stage stage, NodeResult row) {
    /** Passing state while a node goes down; never in a final report (there it is still {@code scheduled}). */
    static final String REBOOTING = "rebooting";
    static final String SCHEDULED = "scheduled";

    enum Stage {
        /** The request went out; no reply yet. */
        SENT,
        /** It answered, and the run has nothing to wait for. */
        ANSWERED,
        /** It scheduled its reboot and the run waits for it to come back. */
        AWAITED,
        /** Its answer never counted, but its reboot may happen: its events still say what it does. */
        UNCONFIRMED,
        /** Back, failed, cancelled, or left in flight: nothing changes it any more. */
        DONE,
        /** Not back in time; the run went on without it, but a late return is still noted. */
        LATE
    }

    /**
     * What the progress of every node of one batch goes by.
     *
     * @param rebootForReal the action is a reboot, not a noop: a node that did not answer may still reboot
     * @param waitLimit     how the wait is named in a not-back row, e.g. {@code --wait-timeout 900s}
     */
    record Rules(int batch, String requestId, String action, boolean rebootForReal, boolean waitForBack,
                 boolean requireClear, String waitLimit) {
        Rules {
            Objects.requireNonNull(requestId, "requestId == null");
        }
    }

    NodeProgress {
        Objects.requireNonNull(identity, "identity == null");
        Objects.requireNonNull(stage, "stage == null");
    }

    /** A node its batch's request was just sent to. */
    static NodeProgress sent(String identity) {
        return new NodeProgress(identity, Stage.SENT, null);
    }

    /** A node an earlier batch gave up on ({@code not_back}), followed for a late return. */
    static NodeProgress late(NodeResult notBack) {
        return new NodeProgress(notBack.identity(), Stage.LATE, notBack);
    }

    /** The progress after {@code input}; this same one when it changes nothing. */
    NodeProgress on(NodeInput input, Rules rules) {
        if (input instanceof ReplyReceived reply) {
            return stage == Stage.SENT ? replied(reply, rules) : this;
        }
        if (input instanceof DeadlinePassed) {
            return stage == Stage.SENT ? silent(rules) : this;
        }
        if (input instanceof EventReceived event) {
            return switch (stage) {
                case AWAITED, UNCONFIRMED -> event(event, rules);
                case LATE -> lateReturn(event);
                default -> this;
            };
        }
        if (input instanceof ProbeAnswered probe) {
            return stage == Stage.AWAITED ? probed(probe.reply(), probe.sinceBatchMs(), rules) : this;
        }
        if (input instanceof NodeInput.EarlyProbeAnswered early) {
            return stage == Stage.AWAITED && early.reply() != null && early.reply().data() instanceof StatusData status
                    && !status.bootId().equals(Rows.bootId(row.data()))
                    ? probed(early.reply(), early.sinceBatchMs(), rules) : this;
        }
        if (input instanceof Interrupted) {
            return stage == Stage.AWAITED ? done(row.withStatus(SCHEDULED, "reboot scheduled; not back yet when the "
                    + "run was interrupted")) : this;
        }
        if (input instanceof BrokerLost) {
            return brokerLost(rules);
        }
        throw new IllegalArgumentException("unknown input " + input);
    }

    /** Still on the way back: the run waits for it. */
    boolean awaited() {
        return stage == Stage.AWAITED;
    }

    private NodeProgress replied(ReplyReceived received, Rules rules) {
        NodeReply reply = received.reply();
        NodeResult answer = Rows.fromReply(reply).withTiming("reply", reply.after().toMillis());
        if (received.duplicate()) {
            // Each responder acts on its own reply: this is a warning about the node, not a refusal.
            answer = answer.withStatus("failed", "more than one responder answered as this identity (one said "
                    + answer.status() + "); each acts on its own reply: check with orch status");
            if (reply.reply().status() == ReplyStatus.SCHEDULED) {
                answer = answer.stillMayReboot();
            }
        }
        answer = answer.inBatch(rules.batch(), rules.requestId());
        if (answer.mayStillReboot()) {
            return next(Stage.UNCONFIRMED, answer);
        }
        return next(answer.status().equals(SCHEDULED) && rules.waitForBack() ? Stage.AWAITED : Stage.ANSWERED, answer);
    }

    private NodeProgress silent(Rules rules) {
        NodeResult silent = NodeResult.noResponse(identity, "matched, then did not answer " + rules.action());
        if (!rules.rebootForReal()) {
            return done(silent.inBatch(rules.batch(), rules.requestId()));
        }
        // Its reply may have been on its way when the queue went: then it reboots all the same.
        silent = silent.withStatus(NodeResult.NO_RESPONSE, silent.message() + "; it may still reboot if its reply "
                + "was on the way (check with orch status)").stillMayReboot();
        return next(Stage.UNCONFIRMED, silent.inBatch(rules.batch(), rules.requestId()));
    }

    private NodeProgress event(EventReceived received, Rules rules) {
        Event event = received.event();
        if (!event.requestId().equals(rules.requestId())) {
            return this;
        }
        NodeResult now = afterEvent(event, received.sinceBatchMs(), rules);
        if (now == null) {
            return this;
        }
        if (stage == Stage.UNCONFIRMED) {
            // Its reply never reached us, but its reboot did happen: report what it does.
            return next(Stage.UNCONFIRMED, now.status().equals(REBOOTING)
                    ? now.withStatus(SCHEDULED, "its reply was lost, but it is rebooting") : now);
        }
        return next(now.status().equals(REBOOTING) ? Stage.AWAITED : Stage.DONE, now);
    }

    /** The row after {@code event}, or null when the event changes nothing. */
    private NodeResult afterEvent(Event event, long atMs, Rules rules) {
        return switch (event.type()) {
            case REBOOTING -> row.withTiming("rebooting", atMs).withStatus(REBOOTING, "rebooting");
            case REBOOTED -> {
                // The codec gives every rebooted event its data; the same boot id is not back from this reboot.
                if (!(event.data() instanceof RebootedData rebooted)
                        || rebooted.newBootId().equals(Rows.bootId(row.data()))) {
                    yield null;
                }
                NodeResult back = row.withTiming("back", atMs);
                Duration down = rebooted.downtime();
                // A clock set back at boot gives a negative downtime: better none than a wrong one.
                if (down != null && !down.isNegative()) {
                    back = back.withTiming("downtime", down.toMillis());
                }
                yield back(back, rebooted.pending(), rebooted.reasonNames(), "back after "
                        + (down != null ? TimeText.seconds(down.toMillis() / 1000.0) + " down" : "its reboot"), rules);
            }
            case REBOOT_FAILED -> row.withStatus(NodeResult.REBOOT_FAILED, "did not reboot: "
                    + (event.data() instanceof RebootFailedData failed && !failed.error().isBlank() ? failed.error()
                            : "the node gave no reason"));
            case REBOOT_INTERRUPTED -> row.withStatus(NodeResult.REBOOT_INTERRUPTED, "the responder restarted "
                    + "without a reboot (same boot id); orch does not retry it");
            case CANCELLED -> row.withStatus("cancelled", "cancelled during its delay (orch cancel)");
            default -> null;
        };
    }

    private static NodeResult back(NodeResult row, boolean pending, List<String> reasons, String how, Rules rules) {
        if (pending && rules.requireClear()) {
            return row.withStatus(NodeResult.STILL_PENDING, how + ", but a reboot is still pending ("
                    + String.join(", ", reasons) + ") and --require-clear is set");
        }
        return row.withStatus(NodeResult.REBOOTED, how + (pending ? "; still pending: " + String.join(", ", reasons)
                : "; nothing pending"));
    }

    /**
     * Its answer to the status probe: a node whose {@code rebooted} event went astray still counts as
     * back, and one that is up on its old boot id is told apart from one that is silent.
     */
    private NodeProgress probed(Reply reply, long atMs, Rules rules) {
        String notBack = "not back within " + rules.waitLimit();
        boolean wentDown = row.timingsMs().containsKey("rebooting");
        if (reply == null) {
            NodeResult silent = row.withStatus(NodeResult.NOT_BACK, notBack
                    + (wentDown ? " (went down, no answer since)" : " (no answer; its reboot may still happen)"));
            return next(Stage.LATE, wentDown ? silent : silent.stillMayReboot());
        }
        if (!(reply.data() instanceof StatusData status)) {
            NodeResult unknown = row.withStatus(NodeResult.NOT_BACK, notBack + "; it answered "
                    + reply.status().wireName() + ": " + reply.message() + "; boot id unknown");
            return next(Stage.LATE, wentDown ? unknown : unknown.stillMayReboot());
        }
        if (!status.bootId().equals(Rows.bootId(row.data()))) {
            return done(back(row.withTiming("back", atMs), status.pending(), status.reasonNames(),
                    "back with a new boot id (its rebooted event was not seen)", rules));
        }
        if (rules.requestId().equals(status.rebootUnderway())) {
            // Still in its delay or shutting down: it will go down, maybe while the next batch does.
            return next(Stage.LATE, row.withStatus(NodeResult.NOT_BACK, notBack + ": its reboot is still under way "
                    + "and will still happen").stillMayReboot());
        }
        return next(Stage.LATE, row.withStatus(NodeResult.NOT_BACK, notBack
                + ": still up on the same boot id, the reboot has not happened"));
    }

    /** Back after its batch gave up on it: it stays {@code not_back} (it missed its time), but the row says when. */
    private NodeProgress lateReturn(EventReceived received) {
        Event event = received.event();
        if (event.type() != EventType.REBOOTED || !event.requestId().equals(row.requestId())) {
            return this;
        }
        return next(Stage.LATE, row.withStatus(NodeResult.NOT_BACK, row.message() + "; came back later, "
                + TimeText.seconds(received.sinceRunMs() / 1000.0) + " into the run"));
    }

    /** Who may have got the request, and who is still on the way. */
    private NodeProgress brokerLost(Rules rules) {
        if (stage == Stage.SENT) {
            return done(NodeResult.noResponse(identity, "the broker was lost during this batch; it may have received "
                    + "the request and may reboot (check with orch status)").stillMayReboot()
                    .inBatch(rules.batch(), rules.requestId()));
        }
        if (row.status().equals(REBOOTING)) {
            return done(row.withStatus(SCHEDULED, "rebooting when the broker was lost"));
        }
        return this;
    }

    private NodeProgress next(Stage to, NodeResult now) {
        return new NodeProgress(identity, to, now);
    }

    private NodeProgress done(NodeResult now) {
        return next(Stage.DONE, now);
    }
}
