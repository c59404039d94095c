package io.orch.cli.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Report rows from replies. */
final class Rows {
    private Rows() {
    }

    static NodeResult fromReply(NodeReply nodeReply) {
        var reply = nodeReply.reply();
        String message = reply.message();
        Object lastReboot = Payloads.lastRebootAt(reply);
        if (lastReboot != null) {
            message += "; last orch reboot " + lastReboot;
        }
        Map<Object, Object> facts = Payloads.facts(reply);
        if (!facts.isEmpty()) {
            List<String> pairs = new ArrayList<>();
            facts.forEach((k, v) -> pairs.add(k + "=" + v));
            message += " [" + String.join(", ", pairs) + "]";
        }
        return new NodeResult(reply.node(), reply.status().wireName(), message, Payloads.reasons(reply.data()),
                reply.data(), nodeReply.after().toMillis());
    }

    static NodeResult duplicate(String node) {
        return new NodeResult(node, "failed", "more than one responder answered as this identity; not acted on",
                List.of(), Map.of(), -1);
    }
}
