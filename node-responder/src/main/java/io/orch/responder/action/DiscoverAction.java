package io.orch.responder.action;

import io.orch.protocol.envelope.ReplyStatus;
import io.orch.responder.request.Outcome;
import io.orch.responder.request.Replies;

/** {@code discover}: whether this node matches the filter, nothing more. */
public final class DiscoverAction implements ActionHandler {
    private final Replies replies;

    public DiscoverAction(Replies replies) {
        this.replies = replies;
    }

    @Override
    public Outcome handle(ActionRequest r) {
        return replies.only(r.request(), r.matched(), ReplyStatus.OK, r.matched() ? "matched" : "not matched");
    }
}
