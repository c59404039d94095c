package io.orch.cli.run;

import io.orch.protocol.envelope.Reply;
import java.time.Duration;

/** A reply with how long after publishing it arrived. */
public record NodeReply(Reply reply, Duration after) {
    public String node() {
        return reply.node();
    }
}
