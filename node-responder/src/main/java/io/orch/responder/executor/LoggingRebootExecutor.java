package io.orch.responder.executor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default: logs the command the system executor would run and does nothing else, so a
 * responder started without a node config can never reboot the machine it runs on.
 */
public final class LoggingRebootExecutor implements RebootExecutor {
    private static final Logger log = LoggerFactory.getLogger(LoggingRebootExecutor.class);

    private final CommandRebootExecutor wouldRun;

    public LoggingRebootExecutor(CommandRebootExecutor wouldRun) {
        this.wouldRun = wouldRun;
    }

    @Override
    public void reboot(RebootPlan plan) {
        log.warn("reboot executor is 'log': NOT rebooting for request {}; would run: {}", plan.requestId(),
                wouldRun.describe(plan));
    }

    @Override
    public boolean reboots() {
        return false;
    }

    @Override
    public void cancel(RebootPlan plan) {
        log.warn("reboot executor is 'log': nothing to cancel for request {}", plan.requestId());
    }

    @Override
    public java.time.Duration effectiveDelay(java.time.Duration requested) {
        return wouldRun.effectiveDelay(requested);
    }

    @Override
    public String describe(RebootPlan plan) {
        return "log only (would run: " + wouldRun.describe(plan) + ")";
    }
}
