package io.orch.responder;

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
import io.orch.responder.executor.RebootException;
import io.orch.responder.executor.RebootExecutor;
import io.orch.responder.executor.RebootPlan;
import io.orch.responder.facts.NodeFacts;
import io.orch.responder.pending.PendingState;
import io.orch.responder.resource.RebootResource;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's request handling, free of JMS: a message body goes in, an {@link Outcome} comes
 * out. Every failure becomes a reply or a log line; nothing a message contains can throw out
 * of {@link #handle}.
 */
public final class Responder {
    private static final Logger log = LoggerFactory.getLogger(Responder.class);

    private final String collective;
    private final NodeFacts facts;
    private final RebootExecutor executor;
    private final Executor rebootThread;
    private final EventSink events;
    private final Clock clock;
    private final Freshness freshness;
    private final Codec codec;

    /**
     * @param rebootThread where the executor runs, so a slow reboot command never holds up replies
     */
    public Responder(String collective, NodeFacts facts, RebootExecutor executor, Executor rebootThread,
                     EventSink events, Clock clock, Freshness freshness, Codec codec) {
        this.collective = Objects.requireNonNull(collective, "collective == null");
        this.facts = Objects.requireNonNull(facts, "facts == null");
        this.executor = Objects.requireNonNull(executor, "executor == null");
        this.rebootThread = Objects.requireNonNull(rebootThread, "rebootThread == null");
        this.events = Objects.requireNonNull(events, "events == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
        this.freshness = Objects.requireNonNull(freshness, "freshness == null");
        this.codec = Objects.requireNonNull(codec, "codec == null");
    }

    public String identity() {
        return facts.identity();
    }

    public NodeFacts facts() {
        return facts;
    }

    /** The event a responder publishes once it is subscribed. */
    public Event startedEvent() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("boot_time", facts.stable().get("boot_time"));
        return new Event(EventType.STARTED, identity(), facts.bootId(), null, clock.instant(), data);
    }

    /**
     * @param correlationId the JMS correlation id, used to answer a request whose id cannot be read
     */
    public Outcome handle(String body, String correlationId) {
        Request request;
        try {
            request = codec.decodeRequest(body);
        } catch (InvalidMessageException e) {
            return invalid(e.requestId().orElse(correlationId), e.getMessage());
        }
        try {
            return handle(request);
        } catch (RuntimeException e) {
            log.error("request {} ({}) failed", request.id(), request.action().wireName(), e);
            return Outcome.of(reply(request, false, ReplyStatus.FAILED, "internal error: " + e, Map.of()));
        }
    }

    /** The answer to a message that is not a request this node can read. */
    public Outcome invalid(String requestId, String why) {
        String id = requestId == null ? "unknown" : requestId;
        log.warn("invalid request {}: {}", id, why);
        return Outcome.of(reply(id, "", false, ReplyStatus.INVALID, why, Map.of()));
    }

    Outcome handle(Request request) {
        if (!collective.equals(request.collective())) {
            log.warn("request {} is for collective '{}', this node is in '{}'", request.id(), request.collective(),
                    collective);
            return Outcome.of(reply(request, false, ReplyStatus.INVALID, "request is for collective '"
                    + request.collective() + "', this node is in '" + collective + "'", Map.of()));
        }
        String stale = freshness.staleness(request, clock.instant());
        if (stale != null) {
            log.warn("request {} not acted on: {}", request.id(), stale);
            return Outcome.of(reply(request, false, ReplyStatus.EXPIRED, stale, Map.of()));
        }
        Filter filter;
        try {
            filter = request.filter().compile();
        } catch (FilterSyntaxException e) {
            log.warn("request {} has a bad filter: {}", request.id(), e.getMessage());
            return Outcome.of(reply(request, false, ReplyStatus.INVALID, e.getMessage(), Map.of()));
        }
        NodeFacts.RequestFacts view = facts.forRequest();
        boolean matched = filter.matches(view);
        return switch (request.action()) {
            case PING -> Outcome.of(reply(request, matched, ReplyStatus.OK, "pong", pingData(view)));
            case DISCOVER -> Outcome.of(reply(request, matched, ReplyStatus.OK, matched ? "matched" : "not matched",
                    Map.of()));
            case STATUS -> status(request, matched, view);
            case REBOOT -> reboot(request, matched, view);
            case CANCEL -> Outcome.of(reply(request, matched, matched ? ReplyStatus.FAILED : ReplyStatus.NOT_MATCHED,
                    matched ? "cancel is not supported by this responder version" : "not matched", Map.of()));
        };
    }

    private Outcome status(Request request, boolean matched, NodeFacts.RequestFacts view) {
        if (!matched) {
            return Outcome.of(reply(request, false, ReplyStatus.OK, "not matched", Map.of()));
        }
        PendingState state = view.pending();
        Map<String, Object> data = new LinkedHashMap<>(state.toMap());
        data.putAll(pingData(view));
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
        String message = state.pending() ? "reboot pending: " + String.join(", ", state.reasonNames())
                : "no reboot pending";
        return Outcome.of(reply(request, true, ReplyStatus.OK, message, data));
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
        PendingState state = view.pending();
        RebootResource.Decision decision = resource.decide(state);
        RebootPlan plan = new RebootPlan(request.id(), resource.delay(), resource.message(), state.reasonNames());
        String action = decision == RebootResource.Decision.NOT_PENDING ? null : executor.describe(plan);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("resource", resource.report(state, decision, action));
        data.put("reasons", state.reasonMaps());
        data.put("boot_id", facts.bootId());
        String why = String.join(", ", state.reasonNames());
        return switch (decision) {
            case NOT_PENDING -> Outcome.of(reply(request, true, ReplyStatus.NOT_PENDING, "no reboot pending", data));
            case WOULD_REBOOT -> Outcome.of(reply(request, true, ReplyStatus.NOOP,
                    "would reboot in " + resource.delay().toSeconds() + "s (" + why + ")", data));
            case REBOOT -> {
                // The executor is in the message so a node left on the log-only executor cannot pass for rebooting.
                yield new Outcome(reply(request, true, ReplyStatus.SCHEDULED,
                        "reboot in " + resource.delay().toSeconds() + "s (" + why + "); " + action, data),
                        () -> {
                            // Logged only now: the reply is confirmed, so the reboot really goes ahead.
                            log.warn("request {} from {}@{}: reboot scheduled in {}s ({})", request.id(),
                                    request.caller(), request.sender(), resource.delay().toSeconds(), why);
                            rebootThread.execute(() -> carryOut(plan));
                        });
            }
        };
    }

    /** Runs only after the scheduled reply reached the broker. */
    private void carryOut(RebootPlan plan) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("delay_s", plan.delay().toSeconds());
        data.put("reasons", plan.reasons());
        events.publish(new Event(EventType.REBOOTING, identity(), facts.bootId(), plan.requestId(), clock.instant(),
                data));
        try {
            executor.reboot(plan);
        } catch (RebootException | RuntimeException e) {
            log.error("reboot for request {} failed: {}", plan.requestId(), e.getMessage());
            events.publish(new Event(EventType.REBOOT_FAILED, identity(), facts.bootId(), plan.requestId(),
                    clock.instant(), Map.of("error", String.valueOf(e.getMessage()))));
        }
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
