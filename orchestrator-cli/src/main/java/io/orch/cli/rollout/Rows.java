package io.orch.cli.rollout;

import io.orch.cli.client.NodeReply;
import io.orch.cli.output.NodeResult;
import io.orch.protocol.envelope.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Report rows from replies. */
public final class Rows {
    private Rows() {
    }

    public static NodeResult fromReply(NodeReply nodeReply) {
        Reply reply = nodeReply.reply();
        String message = reply.message();
        if (reply.data().get("last_reboot") instanceof Map<?, ?> last && last.get("rebooted_at") != null) {
            message += "; last orch reboot " + last.get("rebooted_at");
        }
        if (reply.data().get("facts") instanceof Map<?, ?> facts && !facts.isEmpty()) {
            List<String> pairs = new ArrayList<>();
            facts.forEach((k, v) -> pairs.add(k + "=" + v));
            message += " [" + String.join(", ", pairs) + "]";
        }
        return new NodeResult(reply.node(), reply.status().wireName(), message, reasons(reply.data()),
                reply.data(), nodeReply.after().toMillis());
    }

    public static NodeResult duplicate(String node) {
        return new NodeResult(node, "failed", "more than one responder answered as this identity; not acted on",
                List.of(), Map.of(), -1);
    }

    /** Reason names from {@code data.reasons}, whether given as names or as objects with a name. */
    public static List<String> reasons(Map<String, Object> data) {
        List<String> names = new ArrayList<>();
        if (data.get("reasons") instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof Map<?, ?> map && map.get("name") != null) {
                    names.add(String.valueOf(map.get("name")));
                } else if (item instanceof String s) {
                    names.add(s);
                }
            }
        }
        return names;
    }
}
