package io.orch.protocol.envelope;

import java.time.Instant;
import io.orch.protocol.payload.NoData;
import io.orch.protocol.payload.ReplyData;
import java.util.Objects;

/**
 * A node's answer to one request. {@code matched} says whether the node's facts satisfied
 * the filter, so the CLI can tell "does not match" from "did not answer".
 *
 * @param data the action's own detail ({@link ReplyData}: pending reasons, the reboot resource's outcome,
 *             facts asked for); {@link NoData} for refusals
 */
public record Reply(
        String requestId,
        String node,
        String action,
        boolean matched,
        ReplyStatus status,
        String message,
        ReplyData data,
        Instant time) {

    /** v2: reason lists are reason objects; the reboot resource names its reasons in {@code reason_names}. */
    public static final String PROTOCOL = "orch.reply.v2";

    public Reply {
        Objects.requireNonNull(requestId, "requestId == null");
        Objects.requireNonNull(node, "node == null");
        Objects.requireNonNull(status, "status == null");
        Objects.requireNonNull(time, "time == null");
        action = action == null ? "" : action;
        message = message == null ? "" : message;
        data = data == null ? NoData.INSTANCE : data;
    }
}
