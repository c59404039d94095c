package io.orch.responder.gate;

import io.orch.protocol.envelope.ReplyStatus;
import io.orch.protocol.envelope.Request;
import io.orch.responder.request.RequestLog;
import io.orch.trust.TrustException;
import io.orch.trust.Verifier;
import java.util.Optional;

/**
 * The first check: who signed the request. Its certificate must chain to the site's CA, be valid
 * and unrevoked, and its key must have signed the exact request bytes; from here on the caller is
 * that certificate's name, never what the request says.
 */
final class SignatureCheck implements GateCheck {
    private final Verifier verifier;

    SignatureCheck(Verifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public Optional<Refusal> check(Candidate candidate) {
        Request request = candidate.request();
        try {
            candidate.signer(verifier.verify(candidate.envelope(), request.caller()));
            return Optional.empty();
        } catch (TrustException e) {
            String why = "request not trusted: " + e.getMessage();
            RequestLog.LOG.warn("request {} ({}, claims to be from {}@{}) denied: {}", request.id(),
                    request.action().wireName(), request.caller(), request.sender(), why);
            return Optional.of(new Refusal(ReplyStatus.DENIED, why));
        }
    }
}
