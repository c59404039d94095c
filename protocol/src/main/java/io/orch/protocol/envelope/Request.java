package io.orch.protocol.envelope;

import io.orch.protocol.Limits;
import io.orch.protocol.filter.FilterSpec;
import io.orch.protocol.payload.ActionParams;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One request from the CLI to nodes. Carried on the wire inside the secure wrapper (see
 * {@link Codec#encodeRequest}), so a signature can later cover its exact bytes.
 *
 * @param params action parameters as sent (for {@code reboot}: noop, delay_s, message, ...); unknown ones are
 *               ignored. Kept as JSON values: each action decodes its own ({@link Codec#decodeParams}) after the
 *               node's gate, so a bad parameter is answered by the action that owns it.
 * @param target  where the request was sent: {@link #BROADCAST} or one node's identity; signed with the rest,
 *                so a captured request cannot be sent on to another node. Null until the CLI routes it.
 * @param replyTo the name of the destination replies must go to (the CLI's temporary queue); signed with the
 *                rest, so nobody can redirect the answers. Null until the CLI routes it.
 */
public record Request(
        String id,
        String collective,
        Action action,
        FilterSpec filter,
        Map<String, Object> params,
        String caller,
        String sender,
        Instant createdAt,
        int ttlSeconds,
        String target,
        String replyTo) {

    public static final String PROTOCOL = "orch.request.v1";
    /** The {@link #target} of a request sent to every node. */
    public static final String BROADCAST = "*";

    public Request {
        Objects.requireNonNull(id, "id == null");
        Objects.requireNonNull(collective, "collective == null");
        Objects.requireNonNull(action, "action == null");
        Objects.requireNonNull(createdAt, "createdAt == null");
        filter = filter == null ? FilterSpec.EMPTY : filter;
        params = Values.immutableCopy(params);
        caller = caller == null ? "" : caller;
        sender = sender == null ? "" : sender;
        if (ttlSeconds <= 0) {
            throw new IllegalArgumentException("ttlSeconds must be positive, got " + ttlSeconds);
        }
    }

    /** A request not yet routed (no target, no reply-to). */
    public Request(String id, String collective, Action action, FilterSpec filter, Map<String, Object> params,
                   String caller, String sender, Instant createdAt, int ttlSeconds) {
        this(id, collective, action, filter, params, caller, sender, createdAt, ttlSeconds, null, null);
    }

    /** This request as sent to {@code target} ({@link #BROADCAST} or an identity), answered on {@code replyTo}. */
    public Request routed(String target, String replyTo) {
        return new Request(id, collective, action, filter, params, caller, sender, createdAt, ttlSeconds,
                Objects.requireNonNull(target, "target == null"), Objects.requireNonNull(replyTo, "replyTo == null"));
    }

    /** A new request with a random id, created now. */
    public static Request create(String collective, Action action, FilterSpec filter, Map<String, Object> params,
                                 String caller, String sender, Instant now, Duration ttl) {
        return new Request(UUID.randomUUID().toString(), collective, action, filter, params, caller, sender,
                now, (int) Math.max(1, ttl.toSeconds()));
    }

    /** A new request with a random id, created now, with typed params. */
    public static Request create(String collective, Action action, FilterSpec filter, ActionParams params,
                                 String caller, String sender, Instant now, Duration ttl) {
        return create(collective, action, filter, PayloadCodec.encode(params), caller, sender, now, ttl);
    }

    /** The longest {@code ttl_s} a node accepts for {@code action}. */
    public static int maxTtlSeconds(Action action) {
        return action == Action.REBOOT || action == Action.CANCEL ? Limits.MAX_REBOOT_TTL_SECONDS : Limits.MAX_TTL_SECONDS;
    }

    public Instant expiresAt() {
        return createdAt.plusSeconds(ttlSeconds);
    }
}
