package io.orch.protocol.envelope;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Decides whether a request is still fresh when a node reads it. JMS expiration alone is not
 * enough: a request can sit in a client buffer or pass through a bridge that drops the header,
 * so the node also checks the body's {@code created_at + ttl_s}, allowing for clock skew.
 */
public record Freshness(Duration allowedSkew) {

    public static final Freshness DEFAULT = new Freshness(Duration.ofSeconds(30));

    public Freshness {
        Objects.requireNonNull(allowedSkew, "allowedSkew == null");
        if (allowedSkew.isNegative()) {
            throw new IllegalArgumentException("allowedSkew must not be negative");
        }
    }

    /** Why the request is stale, or null when it may be acted on. */
    public String staleness(Request request, Instant now) {
        Instant earliest = request.createdAt().minus(allowedSkew);
        Instant latest = request.expiresAt().plus(allowedSkew);
        if (now.isBefore(earliest)) {
            return "request created_at " + request.createdAt() + " is "
                    + Duration.between(now, request.createdAt()).toSeconds()
                    + "s in the future (allowed skew " + allowedSkew.toSeconds() + "s); check the clocks";
        }
        if (now.isAfter(latest)) {
            return "request expired " + Duration.between(request.expiresAt(), now).toSeconds()
                    + "s ago (created_at " + request.createdAt() + ", ttl_s " + request.ttlSeconds() + ")";
        }
        return null;
    }
}
