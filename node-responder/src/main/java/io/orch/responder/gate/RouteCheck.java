package io.orch.responder.gate;

import io.orch.protocol.envelope.ReplyStatus;
import io.orch.protocol.envelope.Request;
import io.orch.responder.request.Delivery;
import io.orch.responder.request.RequestLog;
import java.util.Optional;

/**
 * A signed request names where it was sent and where its replies go: a captured request replayed
 * onto another node's topic, or re-sent with another reply-to, is refused. Without verification
 * ({@code security: insecure}) the names are still compared when present.
 */
final class RouteCheck implements GateCheck {
    private final String identity;
    private final boolean required;

    /** @param required whether a request must name its route (true whenever signatures are verified) */
    RouteCheck(String identity, boolean required) {
        this.identity = identity;
        this.required = required;
    }

    @Override
    public Optional<Refusal> check(Candidate candidate) {
        Request request = candidate.request();
        Delivery delivery = candidate.delivery();
        String why = null;
        if (request.target() == null) {
            if (required) {
                why = "request names no target; it must say where it was sent";
            }
        } else if (delivery.direct() ? !identity.equals(request.target()) : !Request.BROADCAST.equals(request.target())) {
            why = "request was signed for " + (Request.BROADCAST.equals(request.target()) ? "the broadcast"
                    : "node '" + request.target() + "'") + " but arrived on " + (delivery.direct()
                    ? "this node's own destination" : "the broadcast");
        }
        if (why == null && delivery.replyToName() != null) {
            if (request.replyTo() == null) {
                if (required) {
                    why = "request names no reply_to; it must say where its replies go";
                }
            } else if (!request.replyTo().equals(delivery.replyToName())) {
                why = "request was signed for replies to '" + request.replyTo() + "' but asks for them at '"
                        + delivery.replyToName() + "'";
            }
        }
        if (why == null) {
            return Optional.empty();
        }
        RequestLog.LOG.warn("request {} ({}) denied: {}", request.id(), request.action().wireName(),
                RequestLog.printableMessage(why));
        return Optional.of(new Refusal(ReplyStatus.DENIED, why));
    }
}
