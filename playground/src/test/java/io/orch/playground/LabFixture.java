package io.orch.playground;

import io.orch.playground.lab.Lab;
import io.orch.playground.lab.LabSpec;
import io.orch.playground.lab.LabTiming;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A schema-checked broker on a free loopback port with a lab on it; closed after the test, which then fails
 * if any message sent through it broke its schema.
 */
final class LabFixture implements AutoCloseable {
    final SchemaCheckedBroker broker;
    final Lab lab;

    private LabFixture(SchemaCheckedBroker broker, Lab lab) {
        this.broker = broker;
        this.lab = lab;
    }

    /** Reboots start at once and nodes are back after half a second, so tests do not wait on lab time. */
    static LabFixture start(int nodes, double pendingRate, long seed, Path stateDir) throws Exception {
        return start(nodes, pendingRate, seed, stateDir, new LabTiming(0, Duration.ofMillis(500)));
    }

    static LabFixture start(int nodes, double pendingRate, long seed, Path stateDir, LabTiming timing)
            throws Exception {
        SchemaCheckedBroker broker = SchemaCheckedBroker.start();
        try {
            Lab lab = Lab.start(new LabSpec(nodes, pendingRate, seed, broker.url(), null, stateDir, timing, 10,
                    Cli.PKI));
            return new LabFixture(broker, lab);
        } catch (Exception e) {
            broker.close();
            throw e;
        }
    }

    String url() {
        return broker.url();
    }

    /**
     * Makes the CLI forget the lab's nodes ({@code orch inventory --forget}), so that its runs know no node and
     * discovery collects for its quiet period, as without an inventory: for tests whose forger answers
     * discovery too, and must be heard before a run that knows the lab would end, as soon as the lab answered.
     */
    LabFixture withoutInventory() {
        for (var node : lab.nodes()) {
            Cli.Result forgot = Cli.run("inventory", "--forget", node.identity(), "--broker", url());
            if (forgot.exitCode() != 0) {
                throw new AssertionError(forgot.toString());
            }
        }
        return this;
    }

    @Override
    public void close() {
        try {
            lab.close();
        } finally {
            broker.close();
        }
    }
}
