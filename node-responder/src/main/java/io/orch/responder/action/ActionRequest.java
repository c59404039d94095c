package io.orch.responder.action;

import io.orch.protocol.envelope.Codec;
import io.orch.protocol.envelope.InvalidMessageException;
import io.orch.protocol.envelope.Request;
import io.orch.protocol.payload.ActionParams;
import io.orch.responder.facts.NodeFacts;
import java.util.Objects;

/**
 * A request the gate admitted, as an action sees it.
 *
 * @param direct  whether it came on the node's own destination rather than the broadcast
 * @param matched whether the node matches the request's filter
 * @param view    the facts the filter was matched against, for the action to answer from
 * @param codec   reads the request's params, which each action decodes itself once it is its turn
 */
public record ActionRequest(Request request, boolean direct, boolean matched, NodeFacts.RequestFacts view,
                            Codec codec) {
    public ActionRequest {
        Objects.requireNonNull(request, "request == null");
        Objects.requireNonNull(view, "view == null");
        Objects.requireNonNull(codec, "codec == null");
    }

    /**
     * The request's params as its action defines them.
     *
     * @throws InvalidMessageException naming the bad param; the action answers {@code invalid} with it
     */
    public ActionParams params() throws InvalidMessageException {
        return codec.decodeParams(request.action(), request.params());
    }
}
