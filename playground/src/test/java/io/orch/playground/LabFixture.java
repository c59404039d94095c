package io.orch.playground;

import io.orch.playground.broker.EmbeddedBroker;
import io.orch.playground.lab.Lab;
import io.orch.playground.lab.LabSpec;
import io.orch.playground.lab.LabTiming;
import java.nio.file.Path;
import java.time.Duration;

/** A broker on a free loopback port with a lab on it; closed after the test class. */
final class LabFixture implements AutoCloseable {
    final EmbeddedBroker broker;
    final Lab lab;

    private LabFixture(EmbeddedBroker broker, Lab lab) {
        this.broker = broker;
        this.lab = lab;
    }

    /** Reboots start at once and nodes are back after half a second, so tests do not wait on lab time. */
    static LabFixture start(int nodes, double pendingRate, long seed, Path stateDir) throws Exception {
        return start(nodes, pendingRate, seed, stateDir, new LabTiming(0, Duration.ofMillis(500)));
    }

    static LabFixture start(int nodes, double pendingRate, long seed, Path stateDir, LabTiming timing)
            throws Exception {
        EmbeddedBroker broker = EmbeddedBroker.startOnFreePort();
        try {
            Lab lab = Lab.start(new LabSpec(nodes, pendingRate, seed, broker.url(), null, stateDir, timing, 10));
            return new LabFixture(broker, lab);
        } catch (Exception e) {
            broker.close();
            throw e;
        }
    }

    String url() {
        return broker.url();
    }

    @Override
    public void close() {
        lab.close();
        broker.close();
    }
}
