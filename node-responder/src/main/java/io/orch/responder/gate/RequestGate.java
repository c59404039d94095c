package io.orch.responder.gate;

import io.orch.protocol.envelope.Codec;
import io.orch.protocol.envelope.InvalidMessageException;
import io.orch.protocol.envelope.ReplyStatus;
import io.orch.protocol.envelope.SecureEnvelope;
import io.orch.protocol.filter.FactView;
import io.orch.protocol.payload.NoData;
import io.orch.responder.policy.Decision;
import io.orch.responder.policy.PolicyAction;
import io.orch.responder.policy.PolicySource;
import io.orch.trust.Verifier;
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
 * Every rule a request must pass, in one place: before any action sees it ({@link #admit}: who
 * signed it, its collective, lifetime, freshness, route, that it is no replay, the caller's rate
 * limit, its filter (within the per-request budget), reboot
 * and cancel only on the node's own destination), once the node's facts are known
 * ({@link #authorize}: the node's policy), and after the action decided ({@link #release}: the
 * reply-to rules). Nothing acts on a request that has not passed all three.
 */
public final class RequestGate {
    private final List<GateCheck> checks;
    private final Replies replies;
    private final PolicySource policy;
    private final Codec codec;
    private final Clock clock;

    RequestGate(List<GateCheck> checks, Replies replies, PolicySource policy, Codec codec, Clock clock) {
        this.checks = List.copyOf(checks);
        this.replies = replies;
        this.policy = policy;
        this.codec = codec;
        this.clock = clock;
    }

    /**
     * The checks every node runs, in this order; the first refusal answers the request.
     *
     * @param verifier checks signatures; {@link Verifier#insecure} only for {@code security: insecure}
     * @param policy   who may do what on this node
     * @param seen     the node's replay memory, in its state folder; after the signature check, so that
     *                 only signed requests take room in it
     * @param clock    also counts each caller's allowance ({@link io.orch.protocol.Limits#RATE_WINDOW_SECONDS})
     */
    public static RequestGate standard(String collective, Freshness freshness, Clock clock, Replies replies,
                                       Verifier verifier, PolicySource policy, SeenRequests seen) {
        return new RequestGate(List.of(
                new SignatureCheck(verifier),
                new CollectiveCheck(collective),
                new TtlCheck(),
                new FreshnessCheck(freshness, clock),
                new RouteCheck(replies.identity(), verifier.verifies()),
                new ReplayCheck(seen, freshness),
                RateLimitCheck.standard(clock),
                new FilterCheck(),
                new DirectOnlyCheck(collective, replies.identity())), replies, policy, new Codec(), clock);
    }

    /** As {@link #admit(Request, SecureEnvelope, Delivery)} for a request that came unsigned. */
    public Admission admit(Request request, Delivery delivery) {
        return admit(request, SecureEnvelope.unsigned(SecureEnvelope.Kind.REQUEST, "{}"), delivery);
    }

    /** Refuses {@code request} with its reply, or admits it with its compiled filter and its verified signer. */
    public Admission admit(Request request, SecureEnvelope envelope, Delivery delivery) {
        Candidate candidate = new Candidate(request, envelope, delivery);
        for (GateCheck check : checks) {
            Optional<Refusal> refusal = check.check(candidate);
            if (refusal.isPresent()) {
                return Admission.refused(replies.to(request, false, refusal.get().status(), refusal.get().message(),
                        NoData.INSTANCE), candidate.signer());
            }
        }
        try {
            return Admission.admitted(candidate.filter(), candidate.signer());
        } catch (FilterSyntaxException e) {
            throw new IllegalStateException("the filter check let a bad filter through", e);
        }
    }

    /**
     * The node's policy, for an admitted request whose filter matched: may {@code signer} do this
     * here, now, on a node with these facts?
     *
     * @return the denial, or empty when allowed
     */
    public Optional<Reply> authorize(Request request, Verifier.Signer signer, FactView facts) {
        PolicyAction action = policyAction(request);
        Decision decision = policy.current().decide(signer.name(), action, facts, clock.instant());
        if (decision.allowed()) {
            return Optional.empty();
        }
        RequestLog.LOG.warn("request {} ({}) from {} denied by policy: {}", request.id(), action.wireName(),
                signer.verified() ? signer.name() : "unverified '" + signer.name() + "'", decision.reason());
        return Optional.of(replies.to(request, true, ReplyStatus.DENIED, decision.reason(), NoData.INSTANCE));
    }

    /** What the policy calls this request: a reboot with force is its own right. */
    private PolicyAction policyAction(Request request) {
        return switch (request.action()) {
            case PING -> PolicyAction.PING;
            case DISCOVER -> PolicyAction.DISCOVER;
            case STATUS -> PolicyAction.STATUS;
            case CANCEL -> PolicyAction.CANCEL;
            case REBOOT -> {
                try {
                    yield codec.decodeRebootParams(request.params()).force() ? PolicyAction.FORCE : PolicyAction.REBOOT;
                } catch (InvalidMessageException e) {
                    yield PolicyAction.REBOOT; // the action answers the bad params, and does nothing
                }
            }
        };
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
