package io.orch.responder.gate;

import io.orch.protocol.bus.Destinations;
import io.orch.protocol.envelope.Action;
import io.orch.protocol.envelope.ReplyStatus;
import io.orch.protocol.envelope.Request;
import io.orch.responder.request.RequestLog;
import java.util.Optional;

/** Reboot and cancel come only on the node's own destination: a broadcast reboot would reach nodes nobody discovered. */
final class DirectOnlyCheck implements GateCheck {
    private final String collective;
    private final String identity;

    DirectOnlyCheck(String collective, String identity) {
        this.collective = collective;
        this.identity = identity;
    }

    @Override
    public Optional<Refusal> check(Candidate candidate) {
        Request request = candidate.request();
        if (candidate.delivery().direct()
                || (request.action() != Action.REBOOT && request.action() != Action.CANCEL)) {
            return Optional.empty();
        }
        // A broadcast reboot would reach nodes nobody discovered and nobody waits for.
        String why = request.action().wireName() + " must be sent to " + new Destinations(collective).node(identity)
                + "; discover first";
        RequestLog.LOG.warn("request {} from {}@{} denied: {}", request.id(), RequestLog.printable(request.caller()),
                RequestLog.printable(request.sender()), why);
        return Optional.of(new Refusal(ReplyStatus.DENIED, why));
    }
}
