package io.orch.responder.audit;

import io.orch.trust.Verifier;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Where a responder records each request and its decision. */
public interface AuditLog {
    /** @param caller who sent it: verified (its certificate's name), or only claimed when not verified */
    void record(Instant time, String requestId, Verifier.Signer caller, String sender, String action,
                Map<String, Object> filter, String decision, String message, List<String> reasons);
}
