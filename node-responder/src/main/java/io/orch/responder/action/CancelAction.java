package io.orch.responder.action;

import io.orch.protocol.envelope.ReplyStatus;
import io.orch.protocol.envelope.Request;
import io.orch.responder.reboot.RebootSequence;
import io.orch.responder.request.Outcome;
import io.orch.responder.request.Replies;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code cancel}: stops the reboot under way while it is in its delay, if it belongs to one of
 * the requests named ({@code request_ids}, one per batch of a rolling run, or the older single
 * {@code request_id}).
 */
public final class CancelAction implements ActionHandler {
    /** More ids than this is a broken client, not a rolling run. */
    static final int MAX_REQUEST_IDS = 1000;

    private final Replies replies;
    private final RebootSequence sequence;

    public CancelAction(Replies replies, RebootSequence sequence) {
        this.replies = replies;
        this.sequence = sequence;
    }

    @Override
    public Outcome handle(ActionRequest r) {
        Request request = r.request();
        if (!r.matched()) {
            return replies.only(request, false, ReplyStatus.NOT_MATCHED, "does not match the filter", Map.of());
        }
        Object target = request.params().get("request_id");
        Object targets = request.params().get("request_ids");
        if ((target != null && !(target instanceof String)) || (targets != null
                && !(targets instanceof List<?> list && list.stream().allMatch(String.class::isInstance)))) {
            return replies.only(request, true, ReplyStatus.INVALID,
                    "param 'request_id' must be a string and 'request_ids' an array of strings", Map.of());
        }
        Set<String> ids = new HashSet<>();
        if (target != null) {
            ids.add((String) target);
        }
        if (targets != null) {
            // An empty or huge list is a broken client, not "cancel whatever is under way".
            if (((List<?>) targets).isEmpty() || ((List<?>) targets).size() > MAX_REQUEST_IDS) {
                return replies.only(request, true, ReplyStatus.INVALID,
                        "param 'request_ids' must hold 1 to " + MAX_REQUEST_IDS + " request ids", Map.of());
            }
            ((List<?>) targets).forEach(id -> ids.add((String) id));
        }
        RebootSequence.CancelResult result = sequence.cancelAny(ids);
        if (result.cancelled()) {
            return replies.only(request, true, ReplyStatus.CANCELLED, result.message(), Map.of());
        }
        return replies.only(request, true, result.nothingToCancel() ? ReplyStatus.NOOP : ReplyStatus.FAILED,
                result.message(), Map.of());
    }
}
