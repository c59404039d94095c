package io.orch.responder.action;

import io.orch.protocol.envelope.ReplyStatus;
import io.orch.protocol.envelope.Request;
import io.orch.responder.facts.NodeFacts;
import io.orch.responder.journal.Journal;
import io.orch.responder.journal.LastReboot;
import io.orch.responder.pending.PendingState;
import io.orch.responder.reboot.LoopGuard;
import io.orch.responder.reboot.RebootSequence;
import io.orch.responder.request.Outcome;
import io.orch.responder.request.Replies;
import io.orch.responder.request.RequestLog;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code status}: pending state and reasons with evidence, the last reboot orch made, the loop
 * guard's verdict, a reboot under way, and the facts asked for ({@code facts: [path, ...]}).
 */
public final class StatusAction implements ActionHandler {
    private final Replies replies;
    private final String bootId;
    private final Journal journal;
    private final RebootSequence sequence;
    private final Duration minInterval;
    private final Clock clock;

    /**
     * @param journal     where the last reboot is read from
     * @param sequence    tells the reboot under way
     * @param minInterval the least time between two reboots, for the loop guard's verdict
     */
    public StatusAction(Replies replies, String bootId, Journal journal, RebootSequence sequence, Duration minInterval,
                        Clock clock) {
        this.replies = replies;
        this.bootId = bootId;
        this.journal = journal;
        this.sequence = sequence;
        this.minInterval = minInterval;
        this.clock = clock;
    }

    @Override
    public Outcome handle(ActionRequest r) {
        Request request = r.request();
        NodeFacts.RequestFacts view = r.view();
        if (!r.matched()) {
            // Asked by name, a node that does not match must not read as a successful status.
            return r.direct()
                    ? replies.only(request, false, ReplyStatus.NOT_MATCHED, "does not match the filter", Map.of())
                    : replies.only(request, false, ReplyStatus.OK, "not matched", Map.of());
        }
        PendingState state = view.pending();
        Map<String, Object> data = new LinkedHashMap<>(state.toMap());
        data.putAll(PingAction.data(bootId, view));
        if (!view.factErrors().isEmpty()) {
            data.put("fact_errors", view.factErrors());
        }
        LoopGuard.Verdict guard = lastRebootAndGuard(state, data);
        Map<String, Object> loopGuard = new LinkedHashMap<>();
        loopGuard.put("state", guard.state().wireName());
        loopGuard.put("message", guard.message());
        data.put("loop_guard", loopGuard);
        String underway = sequence.underway();
        data.put("reboot_underway", underway);
        Object asked = request.params().get("facts");
        if (asked != null) {
            if (!(asked instanceof List<?> paths) || !paths.stream().allMatch(String.class::isInstance)) {
                return replies.only(request, true, ReplyStatus.INVALID, "param 'facts' must be an array of fact paths",
                        Map.of());
            }
            Map<String, Object> values = new LinkedHashMap<>();
            for (Object path : paths) {
                values.put((String) path, view.lookup((String) path));
            }
            data.put("facts", values);
        }
        String unknown = state.unknownReason();
        if (unknown != null) {
            return replies.only(request, true, ReplyStatus.FAILED, unknown, data);
        }
        String message = state.pending() ? "reboot pending: " + String.join(", ", state.reasonNames())
                : "no reboot pending";
        if (guard.refuses()) {
            message += "; loop guard: " + guard.state().wireName();
        }
        if (underway != null) {
            message += "; reboot under way (request " + underway + ")";
        }
        return replies.only(request, true, ReplyStatus.OK, message, data);
    }

    /**
     * Puts the last reboot orch made and the loop guard's verdict in {@code data}. A journal that
     * cannot be read is reported, never a reason for the status itself to fail.
     */
    private LoopGuard.Verdict lastRebootAndGuard(PendingState state, Map<String, Object> data) {
        try {
            LastReboot last = journal.last().orElse(null);
            data.put("last_reboot", last == null ? null : last.toMap());
            return LoopGuard.check(last, state, clock.instant(), minInterval);
        } catch (IOException e) {
            RequestLog.LOG.warn("status: cannot read the reboot journal: {}", e.getMessage());
            data.put("last_reboot_error", e.getMessage());
            return LoopGuard.unreadable(e);
        }
    }
}
