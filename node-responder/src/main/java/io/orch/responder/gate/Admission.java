package io.orch.responder.gate;

import io.orch.trust.Verifier;
import io.orch.protocol.envelope.Reply;
import io.orch.protocol.filter.Filter;

/**
 * The gate's answer: a request refused with its reply, or admitted with its compiled filter.
 *
 * @param refusal the reply to a refused request, else null
 * @param filter  the filter of an admitted request, else null
 * @param signer  who sent it: verified, or as claimed when the gate refused it before (or runs insecure)
 */
public record Admission(Reply refusal, Filter filter, Verifier.Signer signer) {

    static Admission refused(Reply reply, Verifier.Signer signer) {
        return new Admission(reply, null, signer);
    }

    static Admission admitted(Filter filter, Verifier.Signer signer) {
        return new Admission(null, filter, signer);
    }

    public boolean admitted() {
        return refusal == null;
    }
}
