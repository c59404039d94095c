package io.orch.responder.resource;

import io.orch.protocol.payload.RebootParams;
import io.orch.protocol.payload.RebootParams.When;
import io.orch.protocol.payload.RebootReport;
import io.orch.responder.pending.PendingState;
import java.time.Duration;
import java.util.List;

/**
 * A reboot declared for one request, modelled on Puppet's {@code reboot} type. Its parameters
 * arrive as {@link RebootParams}, already checked by the protocol's codec.
 *
 * @param when    {@code pending}: reboot only if a reboot is pending; {@code refreshed}: reboot regardless (needs force)
 * @param noop    say what would happen, change nothing
 * @param delay   time between the decision and the reboot (users get a warning during it)
 * @param message the message logged-in users and the event log see
 */
public record RebootResource(When when, boolean noop, Duration delay, String message, List<String> onlyif,
                             List<String> unless) {

    public RebootResource {
        onlyif = onlyif == null ? List.of() : List.copyOf(onlyif);
        unless = unless == null ? List.of() : List.copyOf(unless);
    }

    RebootResource(When when, boolean noop, Duration delay, String message) {
        this(when, noop, delay, message, List.of(), List.of());
    }

    /** What the resource decided. */
    public enum Decision {
        REBOOT, WOULD_REBOOT, NOT_PENDING
    }

    /** The resource a reboot request declares. */
    public static RebootResource of(RebootParams params) {
        return new RebootResource(params.when(), params.noop(), Duration.ofSeconds(params.delaySeconds()),
                params.message(), params.onlyif(), params.unless());
    }

    /**
     * The pending reasons this resource acts on: with {@code onlyif} only those listed, with
     * {@code unless} all but those listed (Puppet's reboot type has the same two).
     */
    List<String> relevantReasons(PendingState state) {
        return state.reasonNames().stream()
                .filter(r -> onlyif.isEmpty() || onlyif.contains(r))
                .filter(r -> !unless.contains(r))
                .toList();
    }

    public Decision decide(PendingState state) {
        boolean reboot = when == When.REFRESHED || !relevantReasons(state).isEmpty();
        if (!reboot) {
            return Decision.NOT_PENDING;
        }
        return noop ? Decision.WOULD_REBOOT : Decision.REBOOT;
    }

    /** The resource and its outcome as it goes back in {@code data.resource}. */
    public RebootReport report(PendingState state, Decision decision, String action) {
        return report(state, decision, action, null);
    }

    /**
     * @param effectiveDelay how long the executor really waits once started ({@code effective_delay_s}), or
     *                       null when nothing will be started
     */
    public RebootReport report(PendingState state, Decision decision, String action, java.time.Duration effectiveDelay) {
        RebootReport.Outcome outcome = switch (decision) {
            case REBOOT -> RebootReport.Outcome.SCHEDULED;
            case WOULD_REBOOT -> RebootReport.Outcome.WOULD_REBOOT;
            case NOT_PENDING -> RebootReport.Outcome.NOT_PENDING;
        };
        return new RebootReport(when, noop, delay.toSeconds(), message, state.pending(), state.reasonNames(), onlyif,
                unless, outcome, action, effectiveDelay == null ? null : effectiveDelay.toSeconds());
    }
}
