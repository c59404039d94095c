package io.orch.responder.request;

import io.orch.protocol.envelope.Reply;
import io.orch.protocol.envelope.ReplyStatus;
import io.orch.protocol.envelope.Request;
import java.time.Clock;
import io.orch.protocol.payload.NoData;
import io.orch.protocol.payload.ReplyData;
import java.util.Objects;

/** Makes one node's replies: its identity, and the time now. */
public final class Replies {
    private final String identity;
    private final Clock clock;

    public Replies(String identity, Clock clock) {
        this.identity = Objects.requireNonNull(identity, "identity == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
    }

    public String identity() {
        return identity;
    }

    /** The reply to {@code request}. */
    public Reply to(Request request, boolean matched, ReplyStatus status, String message, ReplyData data) {
        return to(request.id(), request.action().wireName(), matched, status, message, data);
    }

    /** The reply to a request known only by its id (and perhaps not even its action). */
    public Reply to(String requestId, String action, boolean matched, ReplyStatus status, String message,
                    ReplyData data) {
        return new Reply(requestId, identity, action, matched, status, message, data, clock.instant());
    }

    /** The reply to {@code request} and nothing to do after it. */
    public Outcome only(Request request, boolean matched, ReplyStatus status, String message,
                        ReplyData data) {
        return Outcome.of(to(request, matched, status, message, data));
    }

    /** The reply to {@code request} with no data, and nothing to do after it: every refusal. */
    public Outcome only(Request request, boolean matched, ReplyStatus status, String message) {
        return only(request, matched, status, message, NoData.INSTANCE);
    }

    /** {@code reply} turned into {@code denied}, with no data. */
    public Reply denied(Reply reply, String why) {
        return new Reply(reply.requestId(), identity, reply.action(), reply.matched(), ReplyStatus.DENIED, why,
                NoData.INSTANCE, clock.instant());
    }
}
