package io.orch.responder;

import io.orch.protocol.envelope.Reply;
import java.util.Objects;

/**
 * What handling one message produced: the reply to send, and what to do only once the broker
 * has it. The order matters: a node never starts a reboot it has not first reported.
 */
public record Outcome(Reply reply, Runnable afterReply) {
    private static final Runnable NOTHING = () -> { };

    public Outcome {
        Objects.requireNonNull(reply, "reply == null");
        afterReply = afterReply == null ? NOTHING : afterReply;
    }

    public static Outcome of(Reply reply) {
        return new Outcome(reply, NOTHING);
    }

    /** True when something is to happen after the reply: then the broker must confirm the reply first. */
    public boolean needsConfirmedReply() {
        return afterReply != NOTHING;
    }
}
