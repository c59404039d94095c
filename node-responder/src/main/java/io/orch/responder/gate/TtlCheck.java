package io.orch.responder.gate;

import io.orch.protocol.envelope.ReplyStatus;
import io.orch.protocol.envelope.Request;
import io.orch.responder.request.RequestLog;
import java.util.Optional;

/** A lifetime over {@link Request#MAX_TTL_SECONDS} would let a request be replayed for too long. */
final class TtlCheck implements GateCheck {

    @Override
    public Optional<Refusal> check(Candidate candidate) {
        Request request = candidate.request();
        if (request.ttlSeconds() <= Request.MAX_TTL_SECONDS) {
            return Optional.empty();
        }
        String why = "ttl_s " + request.ttlSeconds() + " is over the limit of " + Request.MAX_TTL_SECONDS + "s";
        RequestLog.LOG.warn("request {} not acted on: {}", request.id(), why);
        return Optional.of(new Refusal(ReplyStatus.INVALID, why));
    }
}
