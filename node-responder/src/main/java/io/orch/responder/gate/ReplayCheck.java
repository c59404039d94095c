package io.orch.responder.gate;

import io.orch.protocol.envelope.ReplyStatus;
import io.orch.protocol.envelope.Request;
import io.orch.responder.request.RequestLog;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A request id seen before is a replay. The last {@link #REMEMBERED_IDS} ids are kept, in
 * memory only: after a restart the TTL is the only guard.
 */
final class ReplayCheck implements GateCheck {
    static final int REMEMBERED_IDS = 4096;

    private final Map<String, Boolean> seen = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_IDS;
        }
    };

    @Override
    public Optional<Refusal> check(Candidate candidate) {
        Request request = candidate.request();
        if (firstSeen(request.id())) {
            return Optional.empty();
        }
        RequestLog.LOG.warn("request {} ({}) not acted on: duplicate request id", request.id(),
                request.action().wireName());
        return Optional.of(new Refusal(ReplyStatus.DENIED, "duplicate request id"));
    }

    private synchronized boolean firstSeen(String requestId) {
        return seen.put(requestId, Boolean.TRUE) == null;
    }
}
