package io.orch.protocol.envelope;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The closed set of answers a node gives. Scripts branch on these, so they never change meaning. */
public enum ReplyStatus {
    /** The action was done (ping, discover, status). */
    OK,
    /** Nothing was changed because the request asked for a dry run; the message says what would happen. */
    NOOP,
    /** A reboot is scheduled; the reply went out before anything else happens. */
    SCHEDULED,
    /** The reboot resource found nothing pending, so it does nothing. */
    NOT_PENDING,
    /** The node no longer matches the request's filter, so it does nothing. */
    NOT_MATCHED,
    /** Policy refused the action (authorization, loop guard). */
    DENIED,
    /** The request was older than its TTL when it arrived. */
    EXPIRED,
    /** The request could not be understood; the message says why. */
    INVALID,
    /** The node tried and could not. */
    FAILED,
    /** A scheduled reboot was stopped. */
    CANCELLED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** For summaries: "not pending" rather than "not_pending". */
    public String label() {
        return wireName().replace('_', ' ');
    }

    /** True for answers that mean a node could not or would not do what was asked. */
    public boolean isFailure() {
        return this == DENIED || this == EXPIRED || this == INVALID || this == FAILED;
    }

    public static Optional<ReplyStatus> fromWire(String name) {
        return Arrays.stream(values()).filter(s -> s.wireName().equals(name)).findFirst();
    }
}
