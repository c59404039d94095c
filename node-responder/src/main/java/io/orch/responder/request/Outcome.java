package io.orch.responder.request;

import io.orch.protocol.envelope.Reply;
import io.orch.responder.audit.AuditEntry;
import java.time.Instant;
import java.util.Objects;

/**
 * What handling one message produced: the reply to send (or why none goes out), what to do only
 * once the broker has the reply, and the audit line for the endpoint to write once it knows how
 * the message ended. The order matters: a node never starts a reboot it has not first reported.
 *
 * @param reply      the reply; null when the message is {@code unanswered}
 * @param actBefore  for an outcome with an action: the end of the request's lifetime (ttl and
 *                   allowed skew); past it the action must not start, even with a confirmed reply
 * @param audit      the audit line as the responder decided it, or null when the message is not worth
 *                   one (a reply or event on a request topic, an {@code ok} to a request that did not match)
 * @param unanswered why no reply goes out, or null when one does
 */
public record Outcome(Reply reply, Runnable afterReply, Instant actBefore, AuditEntry audit, Unanswered unanswered) {
    private static final Runnable NOTHING = () -> { };

    public Outcome {
        afterReply = afterReply == null ? NOTHING : afterReply;
        if (unanswered == null) {
            Objects.requireNonNull(reply, "reply == null");
        } else if (reply != null || afterReply != NOTHING) {
            throw new IllegalArgumentException("an unanswered message has no reply and nothing to do after it");
        }
        if (afterReply != NOTHING) {
            Objects.requireNonNull(actBefore, "actBefore == null");
        }
    }

    /** A reply, and {@code afterReply} to run once the broker has confirmed it while the request is fresh. */
    public Outcome(Reply reply, Runnable afterReply, Instant actBefore) {
        this(reply, afterReply, actBefore, null, null);
    }

    public static Outcome of(Reply reply) {
        return new Outcome(reply, NOTHING, null);
    }

    /** No reply and nothing done, for {@code why}; {@code audit} records it, or is null for a message not worth a line. */
    public static Outcome unanswered(Unanswered why, AuditEntry audit) {
        return new Outcome(null, NOTHING, null, audit, Objects.requireNonNull(why, "why == null"));
    }

    /** This outcome with its audit line. */
    public Outcome audited(AuditEntry entry) {
        return new Outcome(reply, afterReply, actBefore, entry, unanswered);
    }

    /** True when a reply is to be sent. */
    public boolean answered() {
        return unanswered == null;
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
