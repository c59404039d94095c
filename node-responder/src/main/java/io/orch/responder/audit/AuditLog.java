package io.orch.responder.audit;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Where a responder records each request and its decision. */
public interface AuditLog {
    void record(Instant time, String requestId, String caller, String sender, String action,
                Map<String, Object> filter, String decision, String message, List<String> reasons);
}
