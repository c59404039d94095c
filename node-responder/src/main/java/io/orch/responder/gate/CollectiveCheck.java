package io.orch.responder.gate;

import io.orch.protocol.envelope.ReplyStatus;
import io.orch.protocol.envelope.Request;
import io.orch.responder.request.RequestLog;
import java.util.Optional;

/** A request for another collective is not for this node. */
final class CollectiveCheck implements GateCheck {
    private final String collective;

    CollectiveCheck(String collective) {
        this.collective = collective;
    }

    @Override
    public Optional<Refusal> check(Candidate candidate) {
        Request request = candidate.request();
        if (collective.equals(request.collective())) {
            return Optional.empty();
        }
        RequestLog.LOG.warn("request {} is for collective '{}', this node is in '{}'", request.id(),
                RequestLog.printable(request.collective()), collective);
        return Optional.of(new Refusal(ReplyStatus.INVALID, "request is for collective '" + request.collective()
                + "', this node is in '" + collective + "'"));
    }
}
