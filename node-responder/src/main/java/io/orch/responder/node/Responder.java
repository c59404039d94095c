package io.orch.responder.node;

import io.orch.protocol.Limits;
import io.orch.protocol.payload.NoData;
import io.orch.protocol.envelope.Action;
import io.orch.protocol.envelope.Codec;
import io.orch.protocol.envelope.Event;
import io.orch.protocol.envelope.InvalidMessageException;
import io.orch.protocol.envelope.ReplyStatus;
import io.orch.protocol.envelope.Reply;
import io.orch.protocol.envelope.Request;
import io.orch.protocol.envelope.SecureEnvelope;
import io.orch.trust.Verifier;
import java.util.Optional;
import io.orch.responder.action.ActionHandler;
import io.orch.responder.action.ActionRequest;
import io.orch.responder.audit.AuditEntry;
import io.orch.responder.audit.RequestAudit;
import io.orch.responder.event.NodeEvents;
import io.orch.responder.facts.NodeFacts;
import io.orch.responder.gate.Admission;
import io.orch.responder.gate.RequestGate;
import io.orch.responder.reboot.RebootSequence;
import io.orch.responder.request.Delivery;
import io.orch.responder.request.Outcome;
import io.orch.responder.request.RateLimitedLog;
import io.orch.responder.request.Replies;
import io.orch.responder.request.RequestLog;
import io.orch.responder.request.Unanswered;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;

/**
 * One node's request handling, free of JMS: a message body and what the transport knows go in,
 * an {@link Outcome} comes out. It decodes, leaves alone what is not a request, lets the
 * {@link RequestGate} drop a request that cannot be answered safely, refuse or admit it, hands an
 * admitted request to the handler of its action, and makes the audit line that the endpoint
 * writes once it knows the end. Every failure becomes a reply, a dropped message or a log line;
 * nothing a message contains can throw out of {@link #handle}.
 */
public final class Responder {
    private static final Logger log = RequestLog.LOG;

    private final NodeFacts facts;
    private final Codec codec;
    private final RequestGate gate;
    private final Map<Action, ActionHandler> actions;
    private final RequestAudit audit;
    private final Replies replies;
    private final NodeEvents events;
    private final RebootSequence sequence;
    private final Clock clock;
    /** Warnings about requests that cannot be read. */
    private final RateLimitedLog unreadable;
    /** When the gate last let a request through (for the node's metrics); null before the first. */
    private volatile java.time.Instant lastAdmitted;

    /**
     * @param actions  a handler for every action
     * @param sequence the node's reboots: settled at start, told when the process stops
     * @throws IllegalArgumentException when an action has no handler
     */
    public Responder(NodeFacts facts, Codec codec, RequestGate gate, Map<Action, ActionHandler> actions,
                     RequestAudit audit, Replies replies, NodeEvents events, RebootSequence sequence, Clock clock) {
        this.facts = Objects.requireNonNull(facts, "facts == null");
        this.codec = Objects.requireNonNull(codec, "codec == null");
        this.gate = Objects.requireNonNull(gate, "gate == null");
        this.actions = new EnumMap<>(actions);
        for (Action action : Action.values()) {
            if (this.actions.get(action) == null) {
                throw new IllegalArgumentException("no handler for action " + action.wireName());
            }
        }
        this.audit = Objects.requireNonNull(audit, "audit == null");
        this.replies = Objects.requireNonNull(replies, "replies == null");
        this.events = Objects.requireNonNull(events, "events == null");
        this.sequence = Objects.requireNonNull(sequence, "sequence == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
        this.unreadable = new RateLimitedLog(log, Limits.MAX_DROPPED_LOG_LINES_PER_MINUTE, clock);
    }

    public String identity() {
        return facts.identity();
    }

    public NodeFacts facts() {
        return facts;
    }

    public Clock clock() {
        return clock;
    }

    /** Builds this node's events, for what the transport must report itself (a reply it could not deliver). */
    public NodeEvents events() {
        return events;
    }

    /**
     * Settles the reboot journal and says what to publish once subscribed: {@code started}, then what
     * became of a reboot promised before this start ({@code rebooted} or {@code reboot_interrupted}).
     * Call before the node takes requests (see {@link RebootSequence#settleAfterBoot}).
     */
    public List<Event> startupEvents() {
        List<Event> out = new ArrayList<>();
        out.add(events.started(facts.bootTime()));
        try {
            sequence.settleAfterBoot(facts.bootTime(), () -> facts.forRequest().pending()).ifPresent(out::add);
        } catch (IOException | RuntimeException e) {
            log.error("cannot settle the reboot journal: {}", e.getMessage());
        }
        return out;
    }

    /** When the gate last let a request through (signature, policy, freshness checked), or null for none yet. */
    public java.time.Instant lastAdmitted() {
        return lastAdmitted;
    }

    /** Whether a reboot this node handed to the OS is under way (the journal says so): it is expected back. */
    public boolean rebootHandedToOs() {
        return sequence.handedToOs();
    }

    /** The process is stopping (perhaps the reboot going down): note it for the downtime after boot. */
    public void stopping() {
        sequence.stopping();
    }

    /**
     * Answers one message body; {@code delivery} says what only the transport knows about it.
     * A reply or event (a node's own kind of message) is recognised and left alone; a request
     * whose replies would not go to a temporary queue is read only as far as its audit line.
     * The audit line travels in the outcome: the endpoint writes it through {@link #conclude}
     * once it knows how the message ended.
     */
    public Outcome handle(String body, Delivery delivery) {
        SecureEnvelope envelope;
        try {
            envelope = codec.decodeEnvelope(body);
        } catch (InvalidMessageException e) {
            Optional<SecureEnvelope.Kind> bare = bareKind(body);
            if (bare.isPresent()) {
                return notARequest(bare.get());
            }
            return unreadable(e.requestId().orElse(delivery.correlationId()), e.getMessage(), delivery);
        }
        if (envelope.kind() != SecureEnvelope.Kind.REQUEST) {
            return notARequest(envelope.kind());
        }
        Request request;
        try {
            request = codec.decodeInnerRequest(envelope.body());
        } catch (InvalidMessageException e) {
            return unreadable(e.requestId().orElse(delivery.correlationId()), e.getMessage(), delivery);
        }
        Optional<Unanswered> unanswerable = gate.unanswerable(delivery);
        if (unanswerable.isPresent()) {
            // Not even the signature is checked: nothing about it will be answered or done.
            return Outcome.unanswered(unanswerable.get(), audit.unanswered(request, unanswerable.get().why()));
        }
        Verifier.Signer signer = new Verifier.Signer(request.caller(), false);
        boolean authenticated = false;
        Outcome outcome;
        try {
            Admission admission = gate.admit(request, envelope, delivery);
            signer = admission.signer();
            authenticated = admission.authenticated();
            if (admission.admitted()) {
                lastAdmitted = clock.instant();
                outcome = act(request, admission, delivery);
            } else {
                outcome = Outcome.of(admission.refusal());
            }
        } catch (RuntimeException e) {
            log.error("request {} ({}) failed", request.id(), request.action().wireName(), e);
            outcome = Outcome.of(replies.to(request, false, ReplyStatus.FAILED, "internal error: " + e, NoData.INSTANCE));
        }
        return outcome.audited(audit.answered(request, signer, authenticated, outcome.reply()));
    }

    /**
     * The answer to a message that is not a request this node can read: {@code invalid}, or
     * nothing when its reply would not go to a temporary queue.
     *
     * @param requestId the id found in the body, else the transport's correlation id, or null
     */
    public Outcome unreadable(String requestId, String why, Delivery delivery) {
        Optional<Unanswered> unanswerable = gate.unanswerable(delivery);
        if (unanswerable.isPresent()) {
            String both = why + "; " + unanswerable.get().why();
            return Outcome.unanswered(unanswerable.get(), audit.unreadable(requestId, both, null));
        }
        String id = requestId == null ? "unknown" : requestId;
        // Anyone on the bus can send these by the thousand, quoting what they like: bounded and printable.
        unreadable.warn("invalid request", "invalid request {}: {}", RequestLog.printable(id),
                RequestLog.printableMessage(why));
        Reply reply = replies.to(id, "", false, ReplyStatus.INVALID, why, NoData.INSTANCE);
        return Outcome.of(reply).audited(audit.unreadable(requestId, why, reply));
    }

    /**
     * Writes the audit line of {@code outcome} once the endpoint knows how it ended.
     *
     * @param replied       whether the reply left the node (the broker took it)
     * @param notCarriedOut why what was to follow the reply did not happen, or null when it did (or
     *                      there was nothing to follow)
     */
    public void conclude(Outcome outcome, boolean replied, String notCarriedOut) {
        if (outcome.audit() == null) {
            return;
        }
        AuditEntry entry = outcome.audit().replied(replied);
        audit.record(notCarriedOut == null ? entry : entry.refused(notCarriedOut));
    }

    /** A reply or an event on a request topic: recognised, and nothing more (not even a line in the audit). */
    private static Outcome notARequest(SecureEnvelope.Kind kind) {
        return Outcome.unanswered(new Unanswered(Unanswered.Kind.NOT_A_REQUEST, (kind == SecureEnvelope.Kind.EVENT
                ? "an " : "a ") + kind.field() + ", not a request, on a request topic; ignored"), null);
    }

    /**
     * The kind of a reply or event sent bare, as nodes did before envelopes: told by its
     * {@code protocol} field alone, read without building the rest.
     */
    private Optional<SecureEnvelope.Kind> bareKind(String body) {
        if (body == null) {
            return Optional.empty();
        }
        try (JsonParser parser = codec.mapper().getFactory().createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("protocol".equals(field)) {
                    String protocol = value == JsonToken.VALUE_STRING ? parser.getText() : "";
                    return protocol.startsWith("orch.reply.") ? Optional.of(SecureEnvelope.Kind.REPLY)
                            : protocol.startsWith("orch.event.") ? Optional.of(SecureEnvelope.Kind.EVENT)
                            : Optional.empty();
                }
                parser.skipChildren();
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private Outcome act(Request request, Admission admission, Delivery delivery) {
        NodeFacts.RequestFacts view = facts.forRequest();
        boolean matched = admission.filter().matches(view);
        // The policy first, matched or not: an answer (even "not matched", even a ping's boot id) is
        // information, and a caller the policy refuses gets none of it.
        Optional<Reply> denied = gate.authorize(request, admission.signer(), view);
        if (denied.isPresent()) {
            return Outcome.of(denied.get());
        }
        return actions.get(request.action()).handle(new ActionRequest(request, delivery.direct(), matched, view, codec));
    }
}
