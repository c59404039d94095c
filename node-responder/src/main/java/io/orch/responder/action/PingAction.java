package io.orch.responder.action;

import io.orch.protocol.envelope.ReplyStatus;
import io.orch.responder.facts.NodeFacts;
import io.orch.responder.request.Outcome;
import io.orch.responder.request.Replies;
import java.util.LinkedHashMap;
import java.util.Map;

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

    /** The data of a pong; a status carries it too. */
    static Map<String, Object> data(String bootId, NodeFacts.RequestFacts view) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("boot_id", bootId);
        data.put("uptime_s", view.lookup("uptime_s"));
        return data;
    }
}
