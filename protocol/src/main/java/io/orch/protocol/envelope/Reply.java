package io.orch.protocol.envelope;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A node's answer to one request. {@code matched} says whether the node's facts satisfied
 * the filter, so the CLI can tell "does not match" from "did not answer".
 *
 * @param data action-specific detail: pending reasons, the reboot resource's outcome, facts asked for
 */
public record Reply(
        String requestId,
        String node,
        String action,
        boolean matched,
        ReplyStatus status,
        String message,
        Map<String, Object> data,
        Instant time) {

    public static final String PROTOCOL = "orch.reply.v1";

    public Reply {
        Objects.requireNonNull(requestId, "requestId == null");
        Objects.requireNonNull(node, "node == null");
        Objects.requireNonNull(status, "status == null");
        Objects.requireNonNull(time, "time == null");
        action = action == null ? "" : action;
        message = message == null ? "" : message;
        data = Values.immutableCopy(data);
    }
}
