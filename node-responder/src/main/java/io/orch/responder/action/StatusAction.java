package io.orch.responder.action;

import io.orch.protocol.payload.Maintenance;
import io.orch.responder.policy.MaintenanceStatus;
import io.orch.responder.security.NodeSecurity;
import io.orch.protocol.envelope.ReplyStatus;
import io.orch.protocol.envelope.InvalidMessageException;
import io.orch.protocol.envelope.Request;
import io.orch.protocol.payload.LoopGuardState;
import io.orch.protocol.payload.StatusData;
import io.orch.protocol.payload.StatusParams;
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
    private final NodeSecurity security;

    /**
     * @param journal     where the last reboot is read from
     * @param sequence    tells the reboot under way
     * @param minInterval the least time between two reboots, for the loop guard's verdict
     */
    public StatusAction(Replies replies, String bootId, Journal journal, RebootSequence sequence, Duration minInterval,
                        Clock clock, NodeSecurity security) {
        this.replies = replies;
        this.bootId = bootId;
        this.journal = journal;
        this.sequence = sequence;
        this.minInterval = minInterval;
        this.clock = clock;
        this.security = security;
    }

    private Maintenance maintenance() {
        MaintenanceStatus m = security.policy().current().maintenance(clock.instant());
        // The policy says "none" for no windows; on the wire that is "" (reboots any time).
        return new Maintenance("none".equals(m.windows()) ? "" : m.windows(), m.open(), m.next(), m.summary());
    }

    @Override
    public Outcome handle(ActionRequest r) {
        Request request = r.request();
        NodeFacts.RequestFacts view = r.view();
        if (!r.matched()) {
            // Asked by name, a node that does not match must not read as a successful status.
            return r.direct()
                    ? replies.only(request, false, ReplyStatus.NOT_MATCHED, "does not match the filter")
                    : replies.only(request, false, ReplyStatus.OK, "not matched");
        }
        PendingState state = view.pending();
        LastReboot last = null;
        String lastError = null;
        LoopGuardState guard;
        try {
            last = journal.last().orElse(null);
            guard = LoopGuard.check(last, state, clock.instant(), minInterval);
        } catch (IOException e) {
            // Reported, never a reason for the status itself to fail.
            RequestLog.LOG.warn("status: cannot read the reboot journal: {}", e.getMessage());
            lastError = e.getMessage();
            guard = LoopGuard.unreadable(e);
        }
        String underway = sequence.underway();
        StatusParams params;
        try {
            params = (StatusParams) r.params();
        } catch (InvalidMessageException e) {
            return replies.only(request, true, ReplyStatus.INVALID, e.getMessage());
        }
        Map<String, Object> values = null;
        if (params.facts() != null) {
            values = new LinkedHashMap<>();
            for (String path : params.facts()) {
                values.put(path, view.lookup(path));
            }
        }
        StatusData data = new StatusData(state.pending(), state.reasons(), state.errors(), bootId,
                PingAction.uptimeSeconds(view), view.factErrors(), last == null ? null : last.toWire(), lastError,
                guard, underway, values, security.insecure() ? StatusData.INSECURE : StatusData.VERIFIED,
                maintenance());
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
        if (data.maintenance() != null && !data.maintenance().windows().isEmpty()) {
            message += "; maintenance window " + data.maintenance().summary();
        }
        if (security.insecure()) {
            message += "; SECURITY OFF (insecure)";
        }
        return replies.only(request, true, ReplyStatus.OK, message, data);
    }
}
