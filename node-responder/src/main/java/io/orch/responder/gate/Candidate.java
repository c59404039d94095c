package io.orch.responder.gate;

import io.orch.protocol.envelope.Request;
import io.orch.protocol.filter.Filter;
import io.orch.protocol.filter.FilterSyntaxException;
import io.orch.responder.request.Delivery;

/** A request at the gate, with how it arrived; its filter is compiled once, by the first check that asks. */
final class Candidate {
    private final Request request;
    private final Delivery delivery;
    private Filter filter;

    Candidate(Request request, Delivery delivery) {
        this.request = request;
        this.delivery = delivery;
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
