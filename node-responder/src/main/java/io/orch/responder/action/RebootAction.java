package io.orch.responder.action;

import io.orch.protocol.envelope.ReplyStatus;
import io.orch.protocol.envelope.InvalidMessageException;
import io.orch.protocol.envelope.Request;
import io.orch.protocol.payload.RebootData;
import io.orch.protocol.payload.RebootParams;
import io.orch.protocol.payload.RebootParams.When;
import io.orch.protocol.payload.RebootReport;
import io.orch.responder.executor.RebootExecutor;
import io.orch.responder.executor.RebootPlan;
import io.orch.responder.journal.Journal;
import io.orch.responder.journal.JournalEntry;
import io.orch.responder.pending.PendingState;
import io.orch.responder.reboot.LoopGuard;
import io.orch.responder.reboot.RebootPolicy;
import io.orch.responder.reboot.RebootSequence;
import io.orch.responder.request.Outcome;
import io.orch.responder.request.Replies;
import io.orch.responder.request.RequestLog;
import io.orch.responder.resource.RebootResource;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;

/**
 * {@code reboot}: re-checks the pending state, asks the reboot resource, the policy and the loop
 * guard, and answers; a {@code scheduled} reply carries the reboot to start once the broker has
 * confirmed it, while the request is still fresh.
 */
public final class RebootAction implements ActionHandler {
    private static final Logger log = RequestLog.LOG;
    /**
     * How a failed reply starts when the reboot will not happen for a reason of the node's own: the
     * name of the event that says the same ({@code reboot_failed}), so both read alike.
     */
    public static final String REBOOT_FAILED = "reboot_failed: ";

    private final Replies replies;
    private final String bootId;
    private final Journal journal;
    private final RebootExecutor executor;
    private final RebootSequence sequence;
    private final RebootPolicy policy;
    private final Duration allowedSkew;
    private final Clock clock;

    /**
     * @param journal     where the loop guard reads the last reboot
     * @param executor    says whether it reboots for real, and what it would run
     * @param sequence    carries out a scheduled reboot; tells a reboot under way
     * @param allowedSkew added to a request's expiry: past it a confirmed reply no longer starts the reboot
     */
    public RebootAction(Replies replies, String bootId, Journal journal, RebootExecutor executor,
                        RebootSequence sequence, RebootPolicy policy, Duration allowedSkew, Clock clock) {
        this.replies = Objects.requireNonNull(replies, "replies == null");
        this.bootId = bootId;
        this.journal = Objects.requireNonNull(journal, "journal == null");
        this.executor = Objects.requireNonNull(executor, "executor == null");
        this.sequence = Objects.requireNonNull(sequence, "sequence == null");
        this.policy = Objects.requireNonNull(policy, "policy == null");
        this.allowedSkew = Objects.requireNonNull(allowedSkew, "allowedSkew == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
    }

    @Override
    public Outcome handle(ActionRequest r) {
        Request request = r.request();
        if (!r.matched()) {
            return replies.only(request, false, ReplyStatus.NOT_MATCHED, "does not match the filter");
        }
        RebootResource resource;
        try {
            resource = RebootResource.of((RebootParams) r.params());
        } catch (InvalidMessageException e) {
            log.warn("request {} has bad reboot parameters: {}", request.id(),
                    RequestLog.printableMessage(e.getMessage()));
            return replies.only(request, true, ReplyStatus.INVALID, e.getMessage());
        }
        if (resource.when() == When.REFRESHED && !policy.allowForce()) {
            log.warn("request {} from {}@{} denied: forced reboot and reboot.allow_force is off", request.id(),
                    RequestLog.printable(request.caller()), RequestLog.printable(request.sender()));
            return replies.only(request, true, ReplyStatus.DENIED, "when: refreshed (force) is not allowed on "
                    + "this node; set reboot.allow_force: true in its config to allow it");
        }
        PendingState state = r.view().pending();
        String unknown = resource.when() == When.PENDING ? state.unknownReason() : null;
        if (unknown != null) {
            // Fail closed, and say so: "not pending" would hide a node that may well need its reboot.
            log.warn("request {} not acted on: {}", request.id(), unknown);
            return replies.only(request, true, ReplyStatus.FAILED, unknown, data(null, state, true));
        }
        RebootResource.Decision decision = resource.decide(state);
        if (decision == RebootResource.Decision.REBOOT || decision == RebootResource.Decision.WOULD_REBOOT) {
            String refused = refusal(resource, state);
            if (refused != null) {
                log.warn("request {} from {}@{} denied: {}", request.id(), RequestLog.printable(request.caller()),
                        RequestLog.printable(request.sender()), refused);
                return replies.only(request, true, ReplyStatus.DENIED, refused, data(null, state, false));
            }
        }
        boolean logOnly = decision == RebootResource.Decision.REBOOT && !executor.reboots();
        if (logOnly) {
            decision = RebootResource.Decision.WOULD_REBOOT;
        }
        RebootPlan plan = new RebootPlan(request.id(), resource.delay(), resource.message(), state.reasonNames());
        String action = decision == RebootResource.Decision.NOT_PENDING ? null : executor.describe(plan);
        // What the executor will really wait (shutdown's whole minutes), so a requester's --wait follows it.
        RebootData data = data(resource.report(state, decision, action,
                action == null ? null : executor.effectiveDelay(resource.delay())), state, false);
        String why = state.pending() ? String.join(", ", state.reasonNames()) : "forced";
        String in = resource.delay().toSeconds() + "s (" + why + ")";
        if (logOnly) {
            log.warn("request {} from {}@{}: NOT rebooting, {}", request.id(), RequestLog.printable(request.caller()),
                    RequestLog.printable(request.sender()), action);
            return replies.only(request, true, ReplyStatus.NOOP, "would reboot in " + in + "; executor is 'log': "
                    + "set reboot.executor: system in the node config to reboot for real", data);
        }
        return switch (decision) {
            case NOT_PENDING -> replies.only(request, true, ReplyStatus.NOT_PENDING, state.pending()
                    ? "no relevant reboot pending (pending: " + String.join(", ", state.reasonNames())
                            + "; onlyif/unless leave none)"
                    : "no reboot pending", data);
            case WOULD_REBOOT -> replies.only(request, true, ReplyStatus.NOOP, "would reboot in " + in, data);
            case REBOOT -> {
                // The executor is in the message so the requester sees what will run.
                Instant actBefore = request.expiresAt().plus(allowedSkew);
                JournalEntry entry = new JournalEntry(request.id(), request.caller(), request.sender(),
                        bootId, state.reasons(), plan.delay().toSeconds(), clock.instant(), null, null);
                String unrecordable = unrecordable(entry);
                if (unrecordable != null) {
                    // A promise the node could not remember is one it could not report after boot: never scheduled.
                    log.error("request {} from {}@{} not scheduled: {}", request.id(),
                            RequestLog.printable(request.caller()), RequestLog.printable(request.sender()), unrecordable);
                    yield replies.only(request, true, ReplyStatus.FAILED, REBOOT_FAILED + unrecordable, data);
                }
                yield new Outcome(replies.to(request, true, ReplyStatus.SCHEDULED, "reboot in " + in + "; " + action,
                        data), () -> {
                            log.warn("request {} from {}@{}: reboot scheduled in {}s ({})", request.id(),
                                    RequestLog.printable(request.caller()), RequestLog.printable(request.sender()),
                                    plan.delay().toSeconds(), why);
                            sequence.start(entry, plan);
                        }, actBefore);
            }
        };
    }

    /**
     * Null when the journal can record {@code entry} now (written with fsync beside it, then removed),
     * else why not. Checked before the {@code scheduled} reply; the sequence writes the entry itself
     * once the reply is confirmed (a failure then, in the moment between, is a {@code reboot_failed} event).
     */
    private String unrecordable(JournalEntry entry) {
        try {
            journal.checkWritable(entry);
            return null;
        } catch (IOException | RuntimeException e) {
            return e.getMessage() + "; not rebooting: free space in the state folder or make it writable, then ask "
                    + "again";
        }
    }

    /**
     * The data of every reboot reply that gets past the params: the resource's report once it
     * decided, the pending reasons, the detector errors when they leave the state unknown, the boot id.
     */
    private RebootData data(RebootReport report, PendingState state, boolean detectorErrors) {
        return new RebootData(report, state.reasons(), detectorErrors ? state.errors() : Map.of(), bootId);
    }

    /** Why the loop guard, the minimum interval or a reboot under way refuses this one, or null. */
    private String refusal(RebootResource resource, PendingState state) {
        String underway = sequence.underway();
        if (underway != null) {
            return "a reboot is already under way on this node (request " + underway + ")";
        }
        if (resource.when() == When.REFRESHED) {
            return null; // forced: the operator has decided, past the loop guard
        }
        try {
            return LoopGuard.check(journal.last().orElse(null), state, clock.instant(), policy.minInterval())
                    .message();
        } catch (IOException e) {
            return LoopGuard.unreadable(e).message();
        }
    }
}
