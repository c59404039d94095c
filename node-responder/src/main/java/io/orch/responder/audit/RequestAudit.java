package io.orch.responder.audit;

import io.orch.protocol.envelope.Reply;
import io.orch.protocol.envelope.ReplyStatus;
import io.orch.protocol.envelope.Request;
import io.orch.trust.Verifier;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * Makes the audit lines of a node's requests and writes them. The caller recorded is the
 * verified signer; what a request claims about its sender is recorded only as a claim.
 */
public final class RequestAudit {
    private final AuditLog log;
    private final Clock clock;

    public RequestAudit(AuditLog log, Clock clock) {
        this.log = Objects.requireNonNull(log, "log == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
    }

    /**
     * The line of a request the node answered with {@code reply}; null for a ping or discovery
     * that did not match, which is not worth a line on every node.
     *
     * @param authenticated whether the request passed the signature check
     */
    public AuditEntry answered(Request request, Verifier.Signer signer, boolean authenticated, Reply reply) {
        if (!reply.matched() && reply.status() == ReplyStatus.OK) {
            return null;
        }
        return new AuditEntry(clock.instant(), request.id(), signer, authenticated, request.sender(),
                request.action().wireName(), request.filter().toMap(), reply.status().wireName(),
                reply.status().wireName(), reply.message(), reply.data().reasonNames());
    }

    /** The line of a request the node read but will not answer, for {@code why}: its caller only as claimed. */
    public AuditEntry unanswered(Request request, String why) {
        return new AuditEntry(clock.instant(), request.id(), new Verifier.Signer(request.caller(), false), false,
                request.sender(), request.action().wireName(), request.filter().toMap(), AuditEntry.REFUSED, null,
                why, List.of());
    }

    /**
     * The line of a body that is not a request this node can read: answered {@code reply} (an
     * {@code invalid}), or null when nothing could be answered.
     *
     * @param requestId whatever id was found in the body or the transport's correlation id, or null
     */
    public AuditEntry unreadable(String requestId, String why, Reply reply) {
        return new AuditEntry(clock.instant(), requestId, null, false, null, null, null,
                reply == null ? AuditEntry.REFUSED : reply.status().wireName(),
                reply == null ? null : reply.status().wireName(), why, List.of());
    }

    /** Writes {@code entry} as decided now. */
    public void record(AuditEntry entry) {
        log.record(entry.at(clock.instant()));
    }
}
