package io.orch.responder.gate;

import io.orch.protocol.Limits;
import io.orch.protocol.envelope.ReplyStatus;
import io.orch.protocol.envelope.Request;
import io.orch.responder.request.RequestLog;
import java.util.Optional;

/**
 * A lifetime over {@link Limits#MAX_TTL_SECONDS} would let a request be replayed for too long; for
 * {@code reboot} and {@code cancel} the limit is {@link Limits#MAX_REBOOT_TTL_SECONDS}.
 */
final class TtlCheck implements GateCheck {

    @Override
    public Optional<Refusal> check(Candidate candidate) {
        Request request = candidate.request();
        int limit = Request.maxTtlSeconds(request.action());
        if (request.ttlSeconds() <= limit) {
            return Optional.empty();
        }
        String why = "ttl_s " + request.ttlSeconds() + " is over the limit of " + limit + "s"
                + (limit == Limits.MAX_TTL_SECONDS ? "" : " for " + request.action().wireName());
        RequestLog.LOG.warn("request {} not acted on: {}", request.id(), why);
        return Optional.of(new Refusal(ReplyStatus.INVALID, why));
    }
}
