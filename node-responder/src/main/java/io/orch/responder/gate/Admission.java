package io.orch.responder.gate;

import io.orch.trust.Verifier;
import io.orch.protocol.envelope.Reply;
import io.orch.protocol.filter.Filter;

/**
 * The gate's answer: a request refused with its reply, or admitted with its compiled filter.
 *
 * @param refusal the reply to a refused request, else null
 * @param filter  the filter of an admitted request, else null
 * @param signer        who sent it: verified, or as claimed when the gate refused it before (or runs insecure)
 * @param authenticated whether it passed the signature check (always, for a node that runs insecure)
 */
public record Admission(Reply refusal, Filter filter, Verifier.Signer signer, boolean authenticated) {

    static Admission refused(Reply reply, Verifier.Signer signer, boolean authenticated) {
        return new Admission(reply, null, signer, authenticated);
    }

    static Admission admitted(Filter filter, Verifier.Signer signer) {
        return new Admission(null, filter, signer, true);
    }

    public boolean admitted() {
        return refusal == null;
    }
}
