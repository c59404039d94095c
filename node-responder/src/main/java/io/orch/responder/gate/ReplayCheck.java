package io.orch.responder.gate;

import io.orch.protocol.envelope.Action;
import io.orch.protocol.envelope.Codec;
import io.orch.protocol.envelope.Freshness;
import io.orch.protocol.envelope.ReplyStatus;
import io.orch.protocol.envelope.Request;
import io.orch.responder.replay.ReplayMemoryException;
import io.orch.responder.replay.SeenRequests;
import io.orch.responder.request.RequestLog;
import java.time.Instant;
import java.util.Optional;

/**
 * A request id seen before is a replay. Ids are kept in the state folder ({@link SeenRequests})
 * until their request could no longer pass the freshness check ({@code created_at + ttl_s} plus the
 * allowed clock skew), so a restart or a reboot does not forget them. The id of a {@code reboot} or
 * {@code cancel} is on disk before the request goes on: a reboot follows it.
 */
final class ReplayCheck implements GateCheck {
    private final SeenRequests seen;
    private final Freshness freshness;

    ReplayCheck(SeenRequests seen, Freshness freshness) {
        this.seen = seen;
        this.freshness = freshness;
    }

    @Override
    public Optional<Refusal> check(Candidate candidate) {
        Request request = candidate.request();
        if (!Codec.validId(request.id())) {
            // The codec refuses such ids; a request made otherwise is refused here, never stored.
            return Optional.of(new Refusal(ReplyStatus.INVALID, "request id is not a plain id"));
        }
        Instant keepUntil = request.expiresAt().plus(freshness.allowedSkew());
        boolean durable = request.action() == Action.REBOOT || request.action() == Action.CANCEL;
        try {
            if (seen.firstSeen(request.id(), keepUntil, durable)) {
                return Optional.empty();
            }
        } catch (ReplayMemoryException e) {
            RequestLog.LOG.error("request {} ({}) not acted on: {}", request.id(), request.action().wireName(),
                    e.getMessage());
            return Optional.of(new Refusal(ReplyStatus.FAILED, e.getMessage()));
        }
        RequestLog.LOG.warn("request {} ({}) not acted on: duplicate request id", request.id(),
                request.action().wireName());
        return Optional.of(new Refusal(ReplyStatus.DENIED, "duplicate request id"));
    }
}
