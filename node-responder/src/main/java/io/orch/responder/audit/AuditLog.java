package io.orch.responder.audit;

/** Where a responder records each request and what it finally did about it. */
public interface AuditLog {
    /** Records one request's line; never throws for a write that failed (the request goes on). */
    void record(AuditEntry entry);
}
