package io.orch.responder.audit;

import io.orch.protocol.envelope.Reply;
import io.orch.protocol.envelope.ReplyStatus;
import io.orch.protocol.envelope.Request;
import io.orch.protocol.payload.RebootData;
import io.orch.protocol.payload.StatusData;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Turns a request and the node's reply into its audit line. */
public final class RequestAudit {
    private final AuditLog log;
    private final Clock clock;

    public RequestAudit(AuditLog log, Clock clock) {
        this.log = Objects.requireNonNull(log, "log == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
    }

    /** Ping and discovery replies that did not match are not worth a line each on every node. */
    public void record(Request request, Reply reply) {
        if (!reply.matched() && reply.status() == ReplyStatus.OK) {
            return;
        }
        Map<String, Object> filter = new LinkedHashMap<>();
        filter.put("fact", request.filter().fact());
        filter.put("identity", request.filter().identity());
        filter.put("compound", request.filter().compound());
        List<String> names = reply.data() instanceof StatusData status ? status.reasonNames()
                : reply.data() instanceof RebootData reboot ? reboot.reasonNames() : List.of();
        log.record(clock.instant(), request.id(), request.caller(), request.sender(), request.action().wireName(),
                filter, reply.status().wireName(), reply.message(), names);
    }
}
