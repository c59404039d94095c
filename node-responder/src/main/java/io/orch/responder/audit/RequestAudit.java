package io.orch.responder.audit;

import io.orch.protocol.envelope.Reply;
import io.orch.protocol.envelope.ReplyStatus;
import io.orch.protocol.envelope.Request;
import io.orch.trust.Verifier;
import java.time.Clock;
import java.util.Objects;

/**
 * Turns a request and the node's reply into its audit line. The caller recorded is the verified
 * signer; what a request claims about its sender is recorded only as a claim.
 */
public final class RequestAudit {
    private final AuditLog log;
    private final Clock clock;

    public RequestAudit(AuditLog log, Clock clock) {
        this.log = Objects.requireNonNull(log, "log == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
    }

    /** Ping and discovery replies that did not match are not worth a line each on every node. */
    public void record(Request request, Verifier.Signer signer, Reply reply) {
        if (!reply.matched() && reply.status() == ReplyStatus.OK) {
            return;
        }
        log.record(clock.instant(), request.id(), signer, request.sender(), request.action().wireName(),
                request.filter().toMap(), reply.status().wireName(), reply.message(), reply.data().reasonNames());
    }
}
