package io.orch.responder.node;

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
import io.orch.responder.audit.RequestAudit;
import io.orch.responder.event.NodeEvents;
import io.orch.responder.facts.NodeFacts;
import io.orch.responder.gate.Admission;
import io.orch.responder.gate.RequestGate;
import io.orch.responder.reboot.RebootSequence;
import io.orch.responder.request.Delivery;
import io.orch.responder.request.Outcome;
import io.orch.responder.request.Replies;
import io.orch.responder.request.RequestLog;
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
 * an {@link Outcome} comes out. It decodes, lets the {@link RequestGate} refuse or admit, hands an
 * admitted request to the handler of its action, records the audit line, and lets the gate apply
 * the reply-to rules. Every failure becomes a reply or a log line; nothing a message contains can
 * throw out of {@link #handle}.
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
     * What to publish once subscribed: {@code started}, then what became of a reboot promised
     * before this start ({@code rebooted} or {@code reboot_interrupted}).
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

    /** The process is stopping (perhaps the reboot going down): note it for the downtime after boot. */
    public void stopping() {
        sequence.stopping();
    }

    /** Answers one message body; {@code delivery} says what only the transport knows about it. */
    public Outcome handle(String body, Delivery delivery) {
        SecureEnvelope envelope;
        Request request;
        try {
            envelope = codec.decodeEnvelope(body, SecureEnvelope.Kind.REQUEST);
            request = codec.decodeInnerRequest(envelope.body());
        } catch (InvalidMessageException e) {
            return invalid(e.requestId().orElse(delivery.correlationId()), e.getMessage());
        }
        Verifier.Signer signer = new Verifier.Signer(request.caller(), false);
        Outcome outcome;
        try {
            Admission admission = gate.admit(request, envelope, delivery);
            signer = admission.signer();
            outcome = admission.admitted() ? act(request, admission, delivery) : Outcome.of(admission.refusal());
        } catch (RuntimeException e) {
            log.error("request {} ({}) failed", request.id(), request.action().wireName(), e);
            outcome = Outcome.of(replies.to(request, false, ReplyStatus.FAILED, "internal error: " + e, NoData.INSTANCE));
        }
        // Audited after the reply-to rules: the line says what the node really does.
        Outcome released = gate.release(outcome, delivery);
        audit.record(request, signer, released.reply());
        return released;
    }

    /** The answer to a message that is not a request this node can read. */
    public Outcome invalid(String requestId, String why) {
        String id = requestId == null ? "unknown" : requestId;
        log.warn("invalid request {}: {}", id, why);
        return Outcome.of(replies.to(id, "", false, ReplyStatus.INVALID, why, NoData.INSTANCE));
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
