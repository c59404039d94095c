package io.orch.playground.lab;

import io.orch.responder.executor.RebootExecutor;
import io.orch.responder.executor.RebootPlan;

/** The lab's reboot: nothing leaves the JVM; the lab node goes down and comes back. */
final class SimulatedRebootExecutor implements RebootExecutor {
    private final LabNode node;

    SimulatedRebootExecutor(LabNode node) {
        this.node = node;
    }

    @Override
    public void reboot(RebootPlan plan) {
        node.scheduleReboot(plan.requestId(), plan.delay());
    }

    @Override
    public void cancel(RebootPlan plan) throws io.orch.responder.executor.RebootException {
        node.cancelReboot();
    }

    /** The lab's compressed time (rounded up to whole seconds, as the wire has them), so --wait goes by it. */
    @Override
    public java.time.Duration effectiveDelay(java.time.Duration requested) {
        java.time.Duration real = node.rebootDelay(requested);
        return java.time.Duration.ofSeconds(real.toSeconds() + (real.toNanosPart() > 0 ? 1 : 0));
    }

    @Override
    public String describe(RebootPlan plan) {
        return "simulated reboot (lab)";
    }
}
