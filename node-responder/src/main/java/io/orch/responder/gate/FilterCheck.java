package io.orch.responder.gate;

import io.orch.protocol.envelope.ReplyStatus;
import io.orch.protocol.filter.FilterSyntaxException;
import io.orch.responder.request.RequestLog;
import java.util.Optional;

/** A filter that does not compile selects nothing anyone meant; it is compiled here, once. */
final class FilterCheck implements GateCheck {

    @Override
    public Optional<Refusal> check(Candidate candidate) {
        try {
            candidate.filter();
            return Optional.empty();
        } catch (FilterSyntaxException e) {
            RequestLog.LOG.warn("request {} has a bad filter: {}", candidate.request().id(),
                    RequestLog.printableMessage(e.getMessage()));
            return Optional.of(new Refusal(ReplyStatus.INVALID, e.getMessage()));
        }
    }
}
