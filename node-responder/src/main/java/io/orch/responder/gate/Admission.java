package io.orch.responder.gate;

import io.orch.protocol.envelope.Reply;
import io.orch.protocol.filter.Filter;

/**
 * The gate's answer: a request refused with its reply, or admitted with its compiled filter.
 *
 * @param refusal the reply to a refused request, else null
 * @param filter  the filter of an admitted request, else null
 */
public record Admission(Reply refusal, Filter filter) {

    static Admission refused(Reply reply) {
        return new Admission(reply, null);
    }

    static Admission admitted(Filter filter) {
        return new Admission(null, filter);
    }

    public boolean admitted() {
        return refusal == null;
    }
}
