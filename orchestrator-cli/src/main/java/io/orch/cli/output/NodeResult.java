package io.orch.cli.output;

import java.util.List;
import java.util.Map;

/**
 * One node's line in a report.
 *
 * @param status  a reply status ({@code scheduled}, {@code not_pending}, ...) or {@code no_response}
 * @param reasons pending reason names, when the node gave any
 * @param replyMs milliseconds from publish to the reply, or -1 for no response
 */
public record NodeResult(String identity, String status, String message, List<String> reasons,
                         Map<String, Object> data, long replyMs) {
    public static final String NO_RESPONSE = "no_response";

    public NodeResult {
        reasons = List.copyOf(reasons);
        data = data == null ? Map.of() : data;
        message = message == null ? "" : message;
    }

    public static NodeResult noResponse(String identity, String message) {
        return new NodeResult(identity, NO_RESPONSE, message, List.of(), Map.of(), -1);
    }
}
