package io.orch.cli.run;

import io.orch.protocol.payload.NoData;
import io.orch.protocol.payload.ReplyData;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One node's line in a report.
 *
 * @param status    a reply status ({@code scheduled}, {@code not_pending}, ...), a rollout outcome
 *                  ({@code rebooted}, {@code not_back}, {@code not_started}, ...) or {@code no_response}
 * @param reasons   pending reason names, when the node gave any
 * @param data      the data of the node's reply ({@link NoData} when it gave none), printed as the wire has it
 * @param replyMs   milliseconds from publish to the reply, or -1 for no response
 * @param batch     the batch the node was in (1-based), or 0 when it was never sent the action
 * @param requestId the id of the action request it was sent, or null
 * @param timingsMs milliseconds from its batch's request: {@code reply}, {@code rebooting}, {@code back};
 *                  and the node's own {@code downtime}
 * @param lastSeen  for a node that did not answer: when this host last heard from it (RFC 3339), or null
 * @param lastAnnounced for a known node that did not answer: the time of its latest announcement (RFC 3339), or null
 * @param mayStillReboot a reboot of this run may still happen on it although its status is not
 *                  {@code scheduled} (still under way at --wait-timeout, or its reply was lost with the broker)
 */
public record NodeResult(String identity, String status, String message, List<String> reasons,
                         ReplyData data, long replyMs, int batch, String requestId,
                         Map<String, Long> timingsMs, String lastSeen, String lastAnnounced,
                         boolean mayStillReboot) {
    public static final String NO_RESPONSE = "no_response";
    public static final String REBOOTED = "rebooted";
    public static final String STILL_PENDING = "still_pending";
    public static final String REBOOT_FAILED = "reboot_failed";
    public static final String REBOOT_INTERRUPTED = "reboot_interrupted";
    public static final String NOT_BACK = "not_back";
    public static final String NOT_STARTED = "not_started";
    public static final String SKIPPED = "skipped";

    /** Outcomes after the reply that mean the node did not get through its reboot (exit code 1). */
    private static final Set<String> FAILED_AFTER_REPLY = Set.of(STILL_PENDING, REBOOT_FAILED, REBOOT_INTERRUPTED);

    public NodeResult {
        reasons = List.copyOf(reasons);
        data = data == null ? NoData.INSTANCE : data;
        message = message == null ? "" : message;
        timingsMs = timingsMs == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(timingsMs));
    }

    public NodeResult(String identity, String status, String message, List<String> reasons,
                      ReplyData data, long replyMs) {
        this(identity, status, message, reasons, data, replyMs, 0, null, Map.of(), null, null, false);
    }

    public static NodeResult noResponse(String identity, String message) {
        return new NodeResult(identity, NO_RESPONSE, message, List.of(), NoData.INSTANCE, -1);
    }

    public NodeResult withStatus(String newStatus, String newMessage) {
        return new NodeResult(identity, newStatus, newMessage, reasons, data, replyMs, batch, requestId, timingsMs,
                lastSeen, lastAnnounced, mayStillReboot);
    }

    public NodeResult inBatch(int number, String id) {
        return new NodeResult(identity, status, message, reasons, data, replyMs, number, id, timingsMs, lastSeen,
                lastAnnounced, mayStillReboot);
    }

    public NodeResult withTiming(String name, long ms) {
        Map<String, Long> t = new LinkedHashMap<>(timingsMs);
        t.put(name, ms);
        return new NodeResult(identity, status, message, reasons, data, replyMs, batch, requestId, t, lastSeen,
                lastAnnounced, mayStillReboot);
    }

    public NodeResult withLastSeen(String when) {
        return new NodeResult(identity, status, message, reasons, data, replyMs, batch, requestId, timingsMs, when,
                lastAnnounced, mayStillReboot);
    }

    public NodeResult withLastAnnounced(String when) {
        return new NodeResult(identity, status, message, reasons, data, replyMs, batch, requestId, timingsMs, lastSeen,
                when, mayStillReboot);
    }

    /** Marks a node whose reboot may still happen although it is not {@code scheduled} any more. */
    public NodeResult stillMayReboot() {
        return new NodeResult(identity, status, message, reasons, data, replyMs, batch, requestId, timingsMs, lastSeen,
                lastAnnounced, true);
    }

    /** A failure of the node itself, after or instead of a good reply: counts for exit code 1 and --max-failures. */
    public boolean failed() {
        return isFailure(status);
    }

    /** Whether a row with {@code status} is a failure of the node ({@link #failed()}), for counting by status. */
    public static boolean isFailure(String status) {
        return FAILED_AFTER_REPLY.contains(status)
                || io.orch.protocol.envelope.ReplyStatus.fromWire(status)
                        .map(io.orch.protocol.envelope.ReplyStatus::isFailure).orElse(false);
    }

    /** The node did not answer, or did not come back in time (exit code 4). */
    public boolean missing() {
        return status.equals(NO_RESPONSE) || status.equals(NOT_BACK);
    }
}
