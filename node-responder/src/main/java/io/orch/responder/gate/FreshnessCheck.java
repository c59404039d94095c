package io.orch.responder.gate;

import io.orch.protocol.envelope.Freshness;
import io.orch.protocol.envelope.ReplyStatus;
import io.orch.protocol.envelope.Request;
import io.orch.responder.request.RequestLog;
import java.time.Clock;
import java.util.Optional;

/** A request past its lifetime (or from the future), allowing for clock skew, is answered expired. */
final class FreshnessCheck implements GateCheck {
    private final Freshness freshness;
    private final Clock clock;

    FreshnessCheck(Freshness freshness, Clock clock) {
        this.freshness = freshness;
        this.clock = clock;
    }

    @Override
    public Optional<Refusal> check(Candidate candidate) {
        Request request = candidate.request();
        String stale = freshness.staleness(request, clock.instant());
        if (stale == null) {
            return Optional.empty();
        }
        RequestLog.LOG.warn("request {} not acted on: {}", request.id(), RequestLog.printableMessage(stale));
        return Optional.of(new Refusal(ReplyStatus.EXPIRED, stale));
    }
}
