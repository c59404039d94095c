package io.orch.responder;

import io.orch.protocol.bus.Destinations;
import io.orch.protocol.envelope.Action;
import io.orch.protocol.envelope.Codec;
import io.orch.protocol.envelope.Event;
import io.orch.protocol.envelope.EventType;
import io.orch.protocol.envelope.Freshness;
import io.orch.protocol.envelope.InvalidMessageException;
import io.orch.protocol.envelope.Reply;
import io.orch.protocol.envelope.ReplyStatus;
import io.orch.protocol.envelope.Request;
import io.orch.protocol.filter.Filter;
import io.orch.protocol.filter.FilterSyntaxException;
import io.orch.responder.audit.AuditLog;
import io.orch.responder.executor.RebootExecutor;
import io.orch.responder.executor.RebootPlan;
import io.orch.responder.facts.NodeFacts;
import io.orch.responder.journal.JournalEntry;
import io.orch.responder.journal.LastReboot;
import io.orch.responder.journal.MemoryJournal;
import io.orch.responder.reboot.AfterBoot;
import io.orch.responder.reboot.LockWait;
import io.orch.responder.reboot.LoopGuard;
import io.orch.responder.reboot.RebootPolicy;
import io.orch.responder.reboot.RebootSequence;
import io.orch.responder.pending.PendingState;
import io.orch.responder.resource.RebootResource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's request handling, free of JMS: a message body goes in, an {@link Outcome} comes
 * out. Every failure becomes a reply or a log line; nothing a message contains can throw out
 * of {@link #handle}.
 */
public final class Responder {
    private static final Logger log = LoggerFactory.getLogger(Responder.class);
    /** Request ids remembered against replays. In memory only: after a restart the TTL is the only guard. */
    static final int REMEMBERED_IDS = 4096;

    private final String collective;
    private final NodeFacts facts;
    private final RebootSequence sequence;
    private final RebootExecutor executor;
    private final EventSink events;
    private final Clock clock;
    private final Freshness freshness;
    private final Codec codec;
    private final RebootPolicy policy;
    private final AuditLog audit;
    private final Map<String, Boolean> handledIds = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_IDS;
        }
    };

    /**
     * A responder whose promises live only as long as the process (no journal, no config-run
     * locks, no minimum interval): for tests of request handling.
     *
     * @param rebootThread where the executor runs, so a slow reboot command never holds up replies
     * @param allowForce   whether this node accepts {@code when: refreshed} (reboot with nothing pending)
     */
    public Responder(String collective, NodeFacts facts, RebootExecutor executor, Executor rebootThread,
                     EventSink events, Clock clock, Freshness freshness, Codec codec, boolean allowForce) {
        this(collective, facts, new RebootSequence(new MemoryJournal(), LockWait.none(), executor, rebootThread,
                        events, clock, facts.identity(), facts.bootId()),
                events, clock, freshness, codec, new RebootPolicy(allowForce, Duration.ZERO));
    }

    public Responder(String collective, NodeFacts facts, RebootSequence sequence, EventSink events, Clock clock,
                     Freshness freshness, Codec codec, RebootPolicy policy) {
        this(collective, facts, sequence, events, clock, freshness, codec, policy, AuditLog.NONE);
    }

    public Responder(String collective, NodeFacts facts, RebootSequence sequence, EventSink events, Clock clock,
                     Freshness freshness, Codec codec, RebootPolicy policy, AuditLog audit) {
        this.audit = Objects.requireNonNull(audit, "audit == null");
        this.collective = Objects.requireNonNull(collective, "collective == null");
        this.facts = Objects.requireNonNull(facts, "facts == null");
        this.sequence = Objects.requireNonNull(sequence, "sequence == null");
        this.executor = sequence.executor();
        this.events = Objects.requireNonNull(events, "events == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
        this.freshness = Objects.requireNonNull(freshness, "freshness == null");
        this.codec = Objects.requireNonNull(codec, "codec == null");
        this.policy = Objects.requireNonNull(policy, "policy == null");
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

    /** The event a responder publishes once it is subscribed. */
    public Event startedEvent() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("boot_time", facts.stable().get("boot_time"));
        return new Event(EventType.STARTED, identity(), facts.bootId(), null, clock.instant(), data);
    }

    /**
     * What to publish once subscribed: {@code started}, then what became of a reboot promised
     * before this start ({@code rebooted} or {@code reboot_interrupted}).
     */
    public List<Event> startupEvents() {
        List<Event> out = new java.util.ArrayList<>();
        out.add(startedEvent());
        try {
            AfterBoot.settle(sequence.journal(), identity(), facts.bootId(),
                    Instant.parse(String.valueOf(facts.stable().get("boot_time"))),
                    () -> facts.forRequest().pending(), clock).ifPresent(out::add);
        } catch (java.io.IOException | RuntimeException e) {
            log.error("cannot settle the reboot journal: {}", e.getMessage());
        }
        return out;
    }

    /** The process is stopping (perhaps the reboot going down): note it for the downtime after boot. */
    public void stopping() {
        sequence.stopping();
    }

    /** The event that tells the requester a reboot it was promised will not happen. */
    public Event rebootFailedEvent(String requestId, String error) {
        return new Event(EventType.REBOOT_FAILED, identity(), facts.bootId(), requestId, clock.instant(),
                Map.of("error", error));
    }

    /**
     * @param correlationId the JMS correlation id, used to answer a request whose id cannot be read
     * @param direct        true when the request came on this node's own destination, false for the broadcast
     */
    public Outcome handle(String body, String correlationId, boolean direct) {
        Request request;
        try {
            request = codec.decodeRequest(body);
        } catch (InvalidMessageException e) {
            return invalid(e.requestId().orElse(correlationId), e.getMessage());
        }
        Outcome outcome;
        try {
            outcome = handle(request, direct);
        } catch (RuntimeException e) {
            log.error("request {} ({}) failed", request.id(), request.action().wireName(), e);
            outcome = Outcome.of(reply(request, false, ReplyStatus.FAILED, "internal error: " + e, Map.of()));
        }
        audit(request, outcome.reply());
        return outcome;
    }

    /** Ping and discovery replies that did not match are not worth a line each on every node. */
    private void audit(Request request, Reply reply) {
        if (!reply.matched() && reply.status() == ReplyStatus.OK) {
            return;
        }
        Map<String, Object> filter = new LinkedHashMap<>();
        filter.put("fact", request.filter().fact());
        filter.put("identity", request.filter().identity());
        filter.put("compound", request.filter().compound());
        Object reasons = reply.data().get("reasons");
        List<String> names = new java.util.ArrayList<>();
        if (reasons instanceof List<?> list) {
            for (Object r : list) {
                names.add(r instanceof Map<?, ?> m ? String.valueOf(m.get("name")) : String.valueOf(r));
            }
        }
        audit.record(clock.instant(), request.id(), request.caller(), request.sender(), request.action().wireName(),
                filter, reply.status().wireName(), reply.message(), names);
    }

    /** The answer to a message that is not a request this node can read. */
    public Outcome invalid(String requestId, String why) {
        String id = requestId == null ? "unknown" : requestId;
        log.warn("invalid request {}: {}", id, why);
        return Outcome.of(reply(id, "", false, ReplyStatus.INVALID, why, Map.of()));
    }

    /** Replaces a reply with {@code denied}: for refusals only the transport can see, such as the reply-to. */
    public Outcome deny(Reply reply, String why) {
        log.warn("request {} ({}) denied: {}", reply.requestId(), reply.action(), why);
        return Outcome.of(new Reply(reply.requestId(), identity(), reply.action(), reply.matched(), ReplyStatus.DENIED,
                why, Map.of(), clock.instant()));
    }

    Outcome handle(Request request, boolean direct) {
        if (!collective.equals(request.collective())) {
            log.warn("request {} is for collective '{}', this node is in '{}'", request.id(), request.collective(),
                    collective);
            return Outcome.of(reply(request, false, ReplyStatus.INVALID, "request is for collective '"
                    + request.collective() + "', this node is in '" + collective + "'", Map.of()));
        }
        if (request.ttlSeconds() > Request.MAX_TTL_SECONDS) {
            String why = "ttl_s " + request.ttlSeconds() + " is over the limit of " + Request.MAX_TTL_SECONDS + "s";
            log.warn("request {} not acted on: {}", request.id(), why);
            return Outcome.of(reply(request, false, ReplyStatus.INVALID, why, Map.of()));
        }
        String stale = freshness.staleness(request, clock.instant());
        if (stale != null) {
            log.warn("request {} not acted on: {}", request.id(), stale);
            return Outcome.of(reply(request, false, ReplyStatus.EXPIRED, stale, Map.of()));
        }
        if (!firstSeen(request.id())) {
            log.warn("request {} ({}) not acted on: duplicate request id", request.id(), request.action().wireName());
            return Outcome.of(reply(request, false, ReplyStatus.DENIED, "duplicate request id", Map.of()));
        }
        Filter filter;
        try {
            filter = request.filter().compile();
        } catch (FilterSyntaxException e) {
            log.warn("request {} has a bad filter: {}", request.id(), e.getMessage());
            return Outcome.of(reply(request, false, ReplyStatus.INVALID, e.getMessage(), Map.of()));
        }
        if (!direct && (request.action() == Action.REBOOT || request.action() == Action.CANCEL)) {
            // A broadcast reboot would reach nodes nobody discovered and nobody waits for.
            String why = request.action().wireName() + " must be sent to "
                    + new Destinations(collective).node(identity()) + "; discover first";
            log.warn("request {} from {}@{} denied: {}", request.id(), request.caller(), request.sender(), why);
            return Outcome.of(reply(request, false, ReplyStatus.DENIED, why, Map.of()));
        }
        NodeFacts.RequestFacts view = facts.forRequest();
        boolean matched = filter.matches(view);
        return switch (request.action()) {
            case PING -> Outcome.of(reply(request, matched, ReplyStatus.OK, "pong", pingData(view)));
            case DISCOVER -> Outcome.of(reply(request, matched, ReplyStatus.OK, matched ? "matched" : "not matched",
                    Map.of()));
            case STATUS -> status(request, matched, direct, view);
            case REBOOT -> reboot(request, matched, view);
            case CANCEL -> cancel(request, matched);
        };
    }

    private synchronized boolean firstSeen(String requestId) {
        return handledIds.put(requestId, Boolean.TRUE) == null;
    }

    private Outcome status(Request request, boolean matched, boolean direct, NodeFacts.RequestFacts view) {
        if (!matched) {
            // Asked by name, a node that does not match must not read as a successful status.
            return direct
                    ? Outcome.of(reply(request, false, ReplyStatus.NOT_MATCHED, "does not match the filter", Map.of()))
                    : Outcome.of(reply(request, false, ReplyStatus.OK, "not matched", Map.of()));
        }
        PendingState state = view.pending();
        Map<String, Object> data = new LinkedHashMap<>(state.toMap());
        data.putAll(pingData(view));
        if (!view.factErrors().isEmpty()) {
            data.put("fact_errors", view.factErrors());
        }
        LoopGuard.Verdict guard = lastRebootAndGuard(state, data);
        Map<String, Object> loopGuard = new LinkedHashMap<>();
        loopGuard.put("state", guard.state().wireName());
        loopGuard.put("message", guard.message());
        data.put("loop_guard", loopGuard);
        String underway = sequence.underway();
        data.put("reboot_underway", underway);
        Object asked = request.params().get("facts");
        if (asked != null) {
            if (!(asked instanceof List<?> paths) || !paths.stream().allMatch(String.class::isInstance)) {
                return Outcome.of(reply(request, true, ReplyStatus.INVALID,
                        "param 'facts' must be an array of fact paths", Map.of()));
            }
            Map<String, Object> values = new LinkedHashMap<>();
            for (Object path : paths) {
                values.put((String) path, view.lookup((String) path));
            }
            data.put("facts", values);
        }
        String unknown = unknownPending(state);
        if (unknown != null) {
            return Outcome.of(reply(request, true, ReplyStatus.FAILED, unknown, data));
        }
        String message = state.pending() ? "reboot pending: " + String.join(", ", state.reasonNames())
                : "no reboot pending";
        if (guard.refuses()) {
            message += "; loop guard: " + guard.state().wireName();
        }
        if (underway != null) {
            message += "; reboot under way (request " + underway + ")";
        }
        return Outcome.of(reply(request, true, ReplyStatus.OK, message, data));
    }

    /**
     * Puts the last reboot orch made and the loop guard's verdict in {@code data}. A journal that
     * cannot be read is reported, never a reason for the status itself to fail.
     */
    private LoopGuard.Verdict lastRebootAndGuard(PendingState state, Map<String, Object> data) {
        try {
            LastReboot last = sequence.journal().last().orElse(null);
            data.put("last_reboot", last == null ? null : last.toMap());
            return LoopGuard.check(last, state, clock.instant(), policy.minInterval());
        } catch (java.io.IOException e) {
            log.warn("status: cannot read the reboot journal: {}", e.getMessage());
            data.put("last_reboot_error", e.getMessage());
            return LoopGuard.unreadable(e);
        }
    }

    /** Why "nothing pending" cannot be trusted (a detector failed and none found a reason), or null. */
    private static String unknownPending(PendingState state) {
        if (state.pending() || state.errors().isEmpty()) {
            return null;
        }
        return "pending state unknown: " + new TreeMap<>(state.errors()).entrySet().stream()
                .map(e -> "detector " + e.getKey() + " failed: " + e.getValue())
                .collect(Collectors.joining("; "));
    }

    private Outcome reboot(Request request, boolean matched, NodeFacts.RequestFacts view) {
        if (!matched) {
            return Outcome.of(reply(request, false, ReplyStatus.NOT_MATCHED, "does not match the filter", Map.of()));
        }
        RebootResource resource;
        try {
            resource = RebootResource.fromParams(request.params());
        } catch (IllegalArgumentException e) {
            log.warn("request {} has bad reboot parameters: {}", request.id(), e.getMessage());
            return Outcome.of(reply(request, true, ReplyStatus.INVALID, e.getMessage(), Map.of()));
        }
        if (resource.when() == RebootResource.When.REFRESHED && !policy.allowForce()) {
            log.warn("request {} from {}@{} denied: forced reboot and reboot.allow_force is off", request.id(),
                    request.caller(), request.sender());
            return Outcome.of(reply(request, true, ReplyStatus.DENIED, "when: refreshed (force) is not allowed on "
                    + "this node; set reboot.allow_force: true in its config to allow it", Map.of()));
        }
        PendingState state = view.pending();
        Map<String, Object> data = new LinkedHashMap<>();
        String unknown = resource.when() == RebootResource.When.PENDING ? unknownPending(state) : null;
        if (unknown != null) {
            // Fail closed, and say so: "not pending" would hide a node that may well need its reboot.
            log.warn("request {} not acted on: {}", request.id(), unknown);
            data.put("reasons", state.reasonMaps());
            data.put("detector_errors", state.errors());
            data.put("boot_id", facts.bootId());
            return Outcome.of(reply(request, true, ReplyStatus.FAILED, unknown, data));
        }
        RebootResource.Decision decision = resource.decide(state);
        if (decision == RebootResource.Decision.REBOOT || decision == RebootResource.Decision.WOULD_REBOOT) {
            String refused = refusal(resource, state);
            if (refused != null) {
                log.warn("request {} from {}@{} denied: {}", request.id(), request.caller(), request.sender(), refused);
                data.put("reasons", state.reasonMaps());
                data.put("boot_id", facts.bootId());
                return Outcome.of(reply(request, true, ReplyStatus.DENIED, refused, data));
            }
        }
        boolean logOnly = decision == RebootResource.Decision.REBOOT && !executor.reboots();
        if (logOnly) {
            decision = RebootResource.Decision.WOULD_REBOOT;
        }
        RebootPlan plan = new RebootPlan(request.id(), resource.delay(), resource.message(), state.reasonNames());
        String action = decision == RebootResource.Decision.NOT_PENDING ? null : executor.describe(plan);
        data.put("resource", resource.report(state, decision, action));
        data.put("reasons", state.reasonMaps());
        data.put("boot_id", facts.bootId());
        String why = state.pending() ? String.join(", ", state.reasonNames()) : "forced";
        String in = resource.delay().toSeconds() + "s (" + why + ")";
        if (logOnly) {
            log.warn("request {} from {}@{}: NOT rebooting, {}", request.id(), request.caller(), request.sender(),
                    action);
            return Outcome.of(reply(request, true, ReplyStatus.NOOP, "would reboot in " + in + "; executor is 'log': "
                    + "set reboot.executor: system in the node config to reboot for real", data));
        }
        return switch (decision) {
            case NOT_PENDING -> Outcome.of(reply(request, true, ReplyStatus.NOT_PENDING, state.pending()
                    ? "no relevant reboot pending (pending: " + String.join(", ", state.reasonNames())
                            + "; onlyif/unless leave none)"
                    : "no reboot pending", data));
            case WOULD_REBOOT -> Outcome.of(reply(request, true, ReplyStatus.NOOP, "would reboot in " + in, data));
            case REBOOT -> {
                // The executor is in the message so the requester sees what will run.
                Instant actBefore = request.expiresAt().plus(freshness.allowedSkew());
                JournalEntry entry = new JournalEntry(request.id(), request.caller(), request.sender(),
                        facts.bootId(), state.reasonMaps(), plan.delay().toSeconds(), clock.instant(), null, null);
                yield new Outcome(reply(request, true, ReplyStatus.SCHEDULED, "reboot in " + in + "; " + action, data),
                        () -> {
                            log.warn("request {} from {}@{}: reboot scheduled in {}s ({})", request.id(),
                                    request.caller(), request.sender(), plan.delay().toSeconds(), why);
                            sequence.start(entry, plan);
                        }, actBefore);
            }
        };
    }

    /** Why the loop guard, the minimum interval or a reboot under way refuses this one, or null. */
    private String refusal(RebootResource resource, PendingState state) {
        String underway = sequence.underway();
        if (underway != null) {
            return "a reboot is already under way on this node (request " + underway + ")";
        }
        if (resource.when() == RebootResource.When.REFRESHED) {
            return null; // forced: the operator has decided, past the loop guard
        }
        try {
            return LoopGuard.check(sequence.journal().last().orElse(null), state, clock.instant(),
                    policy.minInterval()).message();
        } catch (java.io.IOException e) {
            return LoopGuard.unreadable(e).message();
        }
    }

    private Outcome cancel(Request request, boolean matched) {
        if (!matched) {
            return Outcome.of(reply(request, false, ReplyStatus.NOT_MATCHED, "does not match the filter", Map.of()));
        }
        // request_ids (one rolling run has one request per batch) or the older single request_id.
        Object target = request.params().get("request_id");
        Object targets = request.params().get("request_ids");
        if ((target != null && !(target instanceof String)) || (targets != null
                && !(targets instanceof List<?> list && list.stream().allMatch(String.class::isInstance)))) {
            return Outcome.of(reply(request, true, ReplyStatus.INVALID,
                    "param 'request_id' must be a string and 'request_ids' an array of strings", Map.of()));
        }
        java.util.Set<String> ids = new java.util.HashSet<>();
        if (target != null) {
            ids.add((String) target);
        }
        if (targets != null) {
            // An empty or huge list is a broken client, not "cancel whatever is under way".
            if (((List<?>) targets).isEmpty() || ((List<?>) targets).size() > 1000) {
                return Outcome.of(reply(request, true, ReplyStatus.INVALID,
                        "param 'request_ids' must hold 1 to 1000 request ids", Map.of()));
            }
            ((List<?>) targets).forEach(id -> ids.add((String) id));
        }
        RebootSequence.CancelResult result = sequence.cancelAny(ids);
        if (result.cancelled()) {
            return Outcome.of(reply(request, true, ReplyStatus.CANCELLED, result.message(), Map.of()));
        }
        return Outcome.of(reply(request, true, result.nothingToCancel() ? ReplyStatus.NOOP : ReplyStatus.FAILED, result.message(),
                Map.of()));
    }

    private Map<String, Object> pingData(NodeFacts.RequestFacts view) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("boot_id", facts.bootId());
        data.put("uptime_s", view.lookup("uptime_s"));
        return data;
    }

    private Reply reply(Request request, boolean matched, ReplyStatus status, String message, Map<String, Object> data) {
        return new Reply(request.id(), identity(), request.action().wireName(), matched, status, message, data,
                clock.instant());
    }

    private Reply reply(String requestId, String action, boolean matched, ReplyStatus status, String message,
                        Map<String, Object> data) {
        return new Reply(requestId, identity(), action, matched, status, message, data, clock.instant());
    }
}
