package io.orch.responder.action;

import io.orch.protocol.envelope.ReplyStatus;
import io.orch.responder.facts.NodeFacts;
import io.orch.responder.request.Outcome;
import io.orch.responder.request.Replies;
import io.orch.protocol.payload.PingData;

/** {@code ping}: who is on the bus, with boot id and uptime. */
public final class PingAction implements ActionHandler {
    private final Replies replies;
    private final String bootId;

    public PingAction(Replies replies, String bootId) {
        this.replies = replies;
        this.bootId = bootId;
    }

    @Override
    public Outcome handle(ActionRequest r) {
        return replies.only(r.request(), r.matched(), ReplyStatus.OK, "pong", data(bootId, r.view()));
    }

    /** The data of a pong; a status carries the same two. */
    static PingData data(String bootId, NodeFacts.RequestFacts view) {
        return new PingData(bootId, uptimeSeconds(view));
    }

    static long uptimeSeconds(NodeFacts.RequestFacts view) {
        return view.lookup("uptime_s") instanceof Number uptime ? uptime.longValue() : 0;
    }
}
