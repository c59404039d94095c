package io.orch.responder.executor;

import java.time.Duration;

/** Carries out a reboot that the reboot resource decided on and the requester was told about. */
public interface RebootExecutor {

    /** Starts the reboot; may return before the machine goes down (e.g. {@code shutdown -r +1}). */
    void reboot(RebootPlan plan) throws RebootException;

    /** Stops a reboot that was started but is still in its delay. */
    default void cancel(RebootPlan plan) throws RebootException {
        throw new RebootException("this reboot executor cannot cancel a reboot once started");
    }

    /**
     * How long after {@link #reboot} starts the machine really goes down for a requested {@code delay}:
     * the node tells the requester, whose wait for it to come back goes by this. Exactly the delay unless
     * the executor rounds or ignores it.
     */
    default Duration effectiveDelay(Duration requested) {
        return requested;
    }

    /** What {@link #reboot} would do, in words, for noop replies and logs. */
    String describe(RebootPlan plan);

    /** False for an executor that only logs: the node then answers noop instead of scheduled. */
    default boolean reboots() {
        return true;
    }
}
