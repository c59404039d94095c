package io.orch.responder.request;

import io.orch.protocol.envelope.Reply;
import java.time.Instant;
import java.util.Objects;

/**
 * What handling one message produced: the reply to send, and what to do only once the broker
 * has it. The order matters: a node never starts a reboot it has not first reported.
 *
 * @param actBefore for an outcome with an action: the end of the request's lifetime (ttl and
 *                  allowed skew); past it the action must not start, even with a confirmed reply
 */
public record Outcome(Reply reply, Runnable afterReply, Instant actBefore) {
    private static final Runnable NOTHING = () -> { };

    public Outcome {
        Objects.requireNonNull(reply, "reply == null");
        afterReply = afterReply == null ? NOTHING : afterReply;
        if (afterReply != NOTHING) {
            Objects.requireNonNull(actBefore, "actBefore == null");
        }
    }

    public static Outcome of(Reply reply) {
        return new Outcome(reply, NOTHING, null);
    }

    /** True when something is to happen after the reply: then the broker must confirm the reply first. */
    public boolean needsConfirmedReply() {
        return afterReply != NOTHING;
    }

    /** False once {@code now} is past {@link #actBefore}: the requester has stopped waiting. */
    public boolean stillFresh(Instant now) {
        return actBefore == null || !now.isAfter(actBefore);
    }
}
