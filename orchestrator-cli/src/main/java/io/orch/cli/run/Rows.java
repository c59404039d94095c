package io.orch.cli.run;

import io.orch.protocol.envelope.Reply;
import io.orch.protocol.payload.NoData;
import io.orch.protocol.payload.PingData;
import io.orch.protocol.payload.RebootData;
import io.orch.protocol.payload.ReplyData;
import io.orch.protocol.payload.StatusData;
import java.util.ArrayList;
import java.util.List;

/** Report rows from replies. */
final class Rows {
    private Rows() {
    }

    static NodeResult fromReply(NodeReply nodeReply) {
        Reply reply = nodeReply.reply();
        String message = reply.message();
        if (reply.data() instanceof StatusData status) {
            if (status.lastReboot() != null) {
                message += "; last orch reboot " + status.lastReboot().rebootedAt();
            }
            if (status.facts() != null && !status.facts().isEmpty()) {
                List<String> pairs = new ArrayList<>();
                status.facts().forEach((k, v) -> pairs.add(k + "=" + v));
                message += " [" + String.join(", ", pairs) + "]";
            }
        }
        return new NodeResult(reply.node(), reply.status().wireName(), message, reply.data().reasonNames(),
                reply.data(), nodeReply.after().toMillis());
    }

    static NodeResult duplicate(String node) {
        return new NodeResult(node, "failed", "more than one responder answered as this identity; not acted on",
                List.of(), NoData.INSTANCE, -1);
    }

    /** The boot id a reply gave, or null: what a new boot is told apart from. */
    static String bootId(ReplyData data) {
        if (data instanceof StatusData status) {
            return status.bootId();
        }
        if (data instanceof RebootData reboot) {
            return reboot.bootId();
        }
        return data instanceof PingData ping ? ping.bootId() : null;
    }
}
