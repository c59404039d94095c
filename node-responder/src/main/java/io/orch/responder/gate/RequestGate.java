package io.orch.responder.gate;

import io.orch.protocol.payload.NoData;
import io.orch.protocol.envelope.Freshness;
import io.orch.protocol.envelope.Reply;
import io.orch.protocol.envelope.Request;
import io.orch.protocol.filter.FilterSyntaxException;
import io.orch.responder.replay.SeenRequests;
import io.orch.responder.request.Delivery;
import io.orch.responder.request.Outcome;
import io.orch.responder.request.Replies;
import io.orch.responder.request.RequestLog;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Every rule a request must pass, in one place: before any action sees it ({@link #admit}: its
 * collective, lifetime, freshness, that it is no replay, its filter, reboot and cancel only on
 * the node's own destination), and after the action decided ({@link #release}: the reply-to
 * rules). Checks that come later (a signature, a policy) are added to the list here and nowhere
 * else.
 */
public final class RequestGate {
    private final List<GateCheck> checks;
    private final Replies replies;

    RequestGate(List<GateCheck> checks, Replies replies) {
        this.checks = List.copyOf(checks);
        this.replies = replies;
    }

    /**
     * The checks every node runs, in this order; the first refusal answers the request.
     *
     * @param seen the node's replay memory, in its state folder
     */
    public static RequestGate standard(String collective, Freshness freshness, Clock clock, Replies replies,
                                       SeenRequests seen) {
        return new RequestGate(List.of(
                new CollectiveCheck(collective),
                new TtlCheck(),
                new FreshnessCheck(freshness, clock),
                new ReplayCheck(seen, freshness),
                new FilterCheck(),
                new DirectOnlyCheck(collective, replies.identity())), replies);
    }

    /** Refuses {@code request} with its reply, or admits it with its compiled filter. */
    public Admission admit(Request request, Delivery delivery) {
        Candidate candidate = new Candidate(request, delivery);
        for (GateCheck check : checks) {
            Optional<Refusal> refusal = check.check(candidate);
            if (refusal.isPresent()) {
                return Admission.refused(replies.to(request, false, refusal.get().status(), refusal.get().message(),
                        NoData.INSTANCE));
            }
        }
        try {
            return Admission.admitted(candidate.filter());
        } catch (FilterSyntaxException e) {
            throw new IllegalStateException("the filter check let a bad filter through", e);
        }
    }

    /**
     * The reply-to rules, once the action has decided: what is to happen after the reply needs a
     * temporary queue to reply to, the one destination that confirms only while the requester
     * waits (a topic "confirms" with nobody listening, a plain queue keeps the reply after the
     * requester is gone). With no reply destination at all nobody could learn what the node does,
     * so it does nothing.
     */
    public Outcome release(Outcome outcome, Delivery delivery) {
        if (!outcome.needsConfirmedReply()) {
            return outcome;
        }
        Reply reply = outcome.reply();
        return switch (delivery.replyTo()) {
            case TEMPORARY_QUEUE -> outcome;
            case NONE -> Outcome.of(reply);
            case OTHER -> {
                String why = "reply-to must be a temporary queue for " + reply.action();
                RequestLog.LOG.warn("request {} ({}) denied: {}", reply.requestId(), reply.action(), why);
                yield Outcome.of(replies.denied(reply, why));
            }
        };
    }
}
