package io.orch.responder.gate;

import io.orch.protocol.envelope.Codec;
import io.orch.protocol.envelope.ReplyStatus;
import io.orch.protocol.envelope.Request;
import io.orch.responder.replay.SeenRequests;
import io.orch.responder.request.RequestLog;
import java.util.Optional;

/**
 * A request id seen before is a replay. This check only looks ({@link SeenRequests#seen}), before
 * the rate limits, so that a replayed copy of someone's request cannot use up their allowance; the
 * id is stored by {@link ReplayRecord}, the gate's last check, so that a request refused on the way
 * (rate limited above all) takes no room in the replay memory.
 */
final class ReplayCheck implements GateCheck {
    private final SeenRequests seen;

    ReplayCheck(SeenRequests seen) {
        this.seen = seen;
    }

    @Override
    public Optional<Refusal> check(Candidate candidate) {
        Request request = candidate.request();
        if (!Codec.validId(request.id())) {
            // The codec refuses such ids; a request made otherwise is refused here, never stored.
            return Optional.of(new Refusal(ReplyStatus.INVALID, "request id is not a plain id"));
        }
        if (!seen.seen(request.id())) {
            return Optional.empty();
        }
        return Optional.of(duplicate(request));
    }

    static Refusal duplicate(Request request) {
        RequestLog.LOG.warn("request {} ({}) not acted on: duplicate request id", request.id(),
                request.action().wireName());
        return new Refusal(ReplyStatus.DENIED, "duplicate request id");
    }
}
