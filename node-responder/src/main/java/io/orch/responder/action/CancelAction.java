package io.orch.responder.action;

import io.orch.protocol.envelope.ReplyStatus;
import io.orch.protocol.envelope.InvalidMessageException;
import io.orch.protocol.envelope.Request;
import io.orch.protocol.payload.CancelParams;
import io.orch.responder.reboot.RebootSequence;
import io.orch.responder.request.Outcome;
import io.orch.responder.request.Replies;
import java.util.Set;

/**
 * {@code cancel}: stops the reboot under way while it is in its delay, if it belongs to one of
 * the requests named ({@code request_ids}, one per batch of a rolling run, or the older single
 * {@code request_id}).
 */
public final class CancelAction implements ActionHandler {
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
            return replies.only(request, false, ReplyStatus.NOT_MATCHED, "does not match the filter");
        }
        CancelParams params;
        try {
            params = (CancelParams) r.params();
        } catch (InvalidMessageException e) {
            return replies.only(request, true, ReplyStatus.INVALID, e.getMessage());
        }
        Set<String> ids = params.targets();
        RebootSequence.CancelResult result = sequence.cancelAny(ids);
        if (result.cancelled()) {
            return replies.only(request, true, ReplyStatus.CANCELLED, result.message());
        }
        return replies.only(request, true, result.nothingToCancel() ? ReplyStatus.NOOP : ReplyStatus.FAILED,
                result.message());
    }
}
