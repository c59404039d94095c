package io.orch.responder.gate;

import io.orch.protocol.envelope.Action;
import io.orch.protocol.envelope.Freshness;
import io.orch.protocol.envelope.ReplyStatus;
import io.orch.protocol.envelope.Request;
import io.orch.responder.replay.ReplayMemoryException;
import io.orch.responder.replay.ReplayShareException;
import io.orch.responder.replay.SeenRequests;
import io.orch.responder.request.RequestLog;
import java.time.Instant;
import java.util.Optional;

/**
 * The gate's last check: a request that passed every other one has its id kept ({@link
 * SeenRequests}) until it could no longer pass the freshness check ({@code created_at + ttl_s}
 * plus the allowed clock skew), so a restart or a reboot does not forget it. The id of a
 * {@code reboot} or {@code cancel} is on disk before the request goes on: a reboot follows it.
 * An id is taken from the verified signer's share of the memory; a caller that has used its share
 * is refused {@code denied}, a node whose memory is full (or cannot write a durable id) {@code failed}.
 * A copy that arrived meanwhile (seen by {@link ReplayCheck} before this id was stored) is a replay.
 */
final class ReplayRecord implements GateCheck {
    private final SeenRequests seen;
    private final Freshness freshness;

    ReplayRecord(SeenRequests seen, Freshness freshness) {
        this.seen = seen;
        this.freshness = freshness;
    }

    @Override
    public Optional<Refusal> check(Candidate candidate) {
        Request request = candidate.request();
        Instant keepUntil = request.expiresAt().plus(freshness.allowedSkew());
        boolean durable = request.action() == Action.REBOOT || request.action() == Action.CANCEL;
        try {
            if (seen.firstSeen(request.id(), candidate.signer().name(), keepUntil, durable)) {
                return Optional.empty();
            }
        } catch (ReplayShareException e) {
            RequestLog.LOG.warn("request {} ({}) from {} not acted on: {}", request.id(), request.action().wireName(),
                    RequestLog.printable(candidate.signer().name()), e.getMessage());
            return Optional.of(new Refusal(ReplyStatus.DENIED, e.getMessage()));
        } catch (ReplayMemoryException e) {
            RequestLog.LOG.error("request {} ({}) not acted on: {}", request.id(), request.action().wireName(),
                    e.getMessage());
            return Optional.of(new Refusal(ReplyStatus.FAILED, e.getMessage()));
        }
        return Optional.of(ReplayCheck.duplicate(request));
    }
}
