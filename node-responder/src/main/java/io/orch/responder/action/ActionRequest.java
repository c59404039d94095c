package io.orch.responder.action;

import io.orch.protocol.envelope.Request;
import io.orch.responder.facts.NodeFacts;
import java.util.Objects;

/**
 * A request the gate admitted, as an action sees it.
 *
 * @param direct  whether it came on the node's own destination rather than the broadcast
 * @param matched whether the node matches the request's filter
 * @param view    the facts the filter was matched against, for the action to answer from
 */
public record ActionRequest(Request request, boolean direct, boolean matched, NodeFacts.RequestFacts view) {
    public ActionRequest {
        Objects.requireNonNull(request, "request == null");
        Objects.requireNonNull(view, "view == null");
    }
}
