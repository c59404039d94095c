package io.orch.responder.gate;

import io.orch.protocol.envelope.Request;
import io.orch.protocol.envelope.SecureEnvelope;
import io.orch.trust.Verifier;
import io.orch.protocol.filter.Filter;
import io.orch.protocol.filter.FilterSyntaxException;
import io.orch.responder.request.Delivery;

/** A request at the gate, with how it arrived; its filter is compiled once, by the first check that asks. */
final class Candidate {
    private final Request request;
    private final SecureEnvelope envelope;
    private final Delivery delivery;
    private Filter filter;
    /** Who sent it: as claimed until the signature check has verified it. */
    private Verifier.Signer signer;
    /** Set once the signature check has passed. */
    private boolean authenticated;

    Candidate(Request request, SecureEnvelope envelope, Delivery delivery) {
        this.request = request;
        this.envelope = envelope;
        this.delivery = delivery;
        this.signer = new Verifier.Signer(request.caller(), false);
    }

    SecureEnvelope envelope() {
        return envelope;
    }

    Verifier.Signer signer() {
        return signer;
    }

    /** The signature check passed: from now on {@code verified} is who sent it. */
    void signer(Verifier.Signer verified) {
        this.signer = verified;
        this.authenticated = true;
    }

    boolean authenticated() {
        return authenticated;
    }

    Request request() {
        return request;
    }

    Delivery delivery() {
        return delivery;
    }

    Filter filter() throws FilterSyntaxException {
        if (filter == null) {
            filter = request.filter().compile();
        }
        return filter;
    }
}
