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
import io.orch.responder.request.Replies;
import io.orch.responder.request.RequestLog;
import io.orch.responder.request.Unanswered;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Every rule a request must pass, in one place: before any action sees it ({@link #admit}: who
 * signed it, its collective, lifetime, freshness, route, that it is no replay, the caller's rate
 * limit, its filter (within the per-request budget), reboot
 * and cancel only on the node's own destination; then its id is kept against replays), once the node's facts are known
 * ({@link #authorize}: the node's policy). Before all of them, {@link #unanswerable}: a request
 * whose replies would not go to a temporary queue is not looked at further. Nothing acts on a
 * request that has not passed them all.
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
     * @param seen     the node's replay memory, in its state folder: looked up after the signature check
     *                 and before the rate limits, written last, so that only a signed request that passed
     *                 every check takes room in it (and that from its signer's share)
     * @param clock    also counts each caller's allowance ({@link io.orch.protocol.Limits#RATE_WINDOW_SECONDS})
     */
    public static RequestGate standard(String collective, Freshness freshness, Clock clock, Replies replies,
                                       Verifier verifier, PolicySource policy, SeenRequests seen) {
        return standard(collective, freshness, clock, replies, verifier, policy, seen, new Codec());
    }

    /** As above, decoding with {@code codec} (one the node already has: a codec holds no request's state). */
    public static RequestGate standard(String collective, Freshness freshness, Clock clock, Replies replies,
                                       Verifier verifier, PolicySource policy, SeenRequests seen, Codec codec) {
        return new RequestGate(List.of(
                new SignatureCheck(verifier, clock),
                new CollectiveCheck(collective),
                new TtlCheck(),
                new FreshnessCheck(freshness, clock),
                new RouteCheck(replies.identity(), verifier.verifies()),
                new ReplayCheck(seen),
                RateLimitCheck.standard(clock),
                new FilterCheck(),
                new DirectOnlyCheck(collective, replies.identity()),
                new ReplayRecord(seen, freshness)), replies, policy, codec, clock);
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
                        NoData.INSTANCE), candidate.signer(), candidate.authenticated());
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
                signer.verified() ? RequestLog.printable(signer.name())
                        : "unverified '" + RequestLog.printable(signer.name()) + "'",
                RequestLog.printableMessage(decision.reason()));
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
     * The first rule, before anything else about a request is checked: replies go only to a
     * temporary queue, the one destination that exists only while its requester waits and that
     * only the requester reads. A topic carries a reply to every subscriber (a broadcast ping
     * whose reply-to is the broadcast would make every node answer every node), a plain queue
     * keeps it after the requester has gone, and without any reply-to nobody could learn what the
     * node did. Such a request gets no reply and no action, whatever it asks.
     *
     * @return why the request cannot be answered, or empty when it can
     */
    public Optional<Unanswered> unanswerable(Delivery delivery) {
        return switch (delivery.replyTo()) {
            case TEMPORARY_QUEUE -> Optional.empty();
            case NONE -> Optional.of(new Unanswered(Unanswered.Kind.NO_REPLY_TO,
                    "no reply destination (JMSReplyTo); nobody could learn what the node did"));
            case OTHER -> Optional.of(new Unanswered(Unanswered.Kind.NOT_A_TEMPORARY_QUEUE,
                    "reply-to '" + RequestLog.printable(delivery.replyToName()) + "' is not a temporary queue; replies go only to the "
                            + "requester's temporary queue"));
        };
    }
}
