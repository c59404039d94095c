package io.orch.responder.gate;

import io.orch.protocol.envelope.ReplyStatus;
import io.orch.protocol.envelope.Request;
import io.orch.protocol.Limits;
import io.orch.responder.request.RateLimitedLog;
import io.orch.responder.request.RequestLog;
import java.time.Clock;
import io.orch.trust.TrustException;
import io.orch.trust.Verifier;
import java.util.Optional;

/**
 * The first check: who signed the request. Its certificate must chain to the site's CA, be valid
 * and unrevoked, and its key must have signed the exact request bytes; from here on the caller is
 * that certificate's name, never what the request says. Anyone on the bus can send requests that
 * fail here by the thousand, so their log lines are rate limited (the audit has every one).
 */
final class SignatureCheck implements GateCheck {
    private final Verifier verifier;
    private final RateLimitedLog untrusted;

    SignatureCheck(Verifier verifier, Clock clock) {
        this.verifier = verifier;
        this.untrusted = new RateLimitedLog(RequestLog.LOG, Limits.MAX_DROPPED_LOG_LINES_PER_MINUTE, clock);
    }

    @Override
    public Optional<Refusal> check(Candidate candidate) {
        Request request = candidate.request();
        try {
            candidate.signer(verifier.verify(candidate.envelope(), request.caller()));
            return Optional.empty();
        } catch (TrustException e) {
            String why = "request not trusted: " + e.getMessage();
            untrusted.warn("request not trusted", "request {} ({}, claims to be from {}@{}) denied: {}", request.id(),
                    request.action().wireName(), RequestLog.printable(request.caller()),
                    RequestLog.printable(request.sender()), RequestLog.printableMessage(why));
            return Optional.of(new Refusal(ReplyStatus.DENIED, why));
        }
    }
}
