package io.orch.playground.lab;

import io.orch.protocol.bus.Destinations;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What lab to build. The same size, pending rate and seed always give the same nodes with the
 * same facts and the same pending set, so a run can be repeated and a test can know the answer.
 *
 * @param pendingRate share of nodes with a reboot pending, 0 to 1
 * @param stateDir    where the nodes' fixture trees go
 * @param pki         the lab's site PKI: nodes sign and verify with it; null runs them {@code security: insecure}
 * @param firstNode   the number of the first node less one: 0 names them from lab-0001, 3 from lab-0004 (a
 *                    second lab on another broker of a network, in the same collective)
 */
public record LabSpec(int nodes, double pendingRate, long seed, String brokerUrl, String collective,
                      Path stateDir, LabTiming timing, int nodesPerConnection, LabPki pki, int firstNode) {
    /** A lab whose nodes are named from lab-0001. */
    public LabSpec(int nodes, double pendingRate, long seed, String brokerUrl, String collective,
                   Path stateDir, LabTiming timing, int nodesPerConnection, LabPki pki) {
        this(nodes, pendingRate, seed, brokerUrl, collective, stateDir, timing, nodesPerConnection, pki, 0);
    }

    public LabSpec {
        if (firstNode < 0) {
            throw new IllegalArgumentException("the first node's number must not be negative, got " + firstNode);
        }
        if (nodes < 1) {
            throw new IllegalArgumentException("a lab needs at least one node, got " + nodes);
        }
        if (pendingRate < 0 || pendingRate > 1 || Double.isNaN(pendingRate)) {
            throw new IllegalArgumentException("pending rate must be between 0 and 1, got " + pendingRate);
        }
        Objects.requireNonNull(brokerUrl, "brokerUrl == null");
        collective = collective == null ? Destinations.DEFAULT_COLLECTIVE : collective;
        Objects.requireNonNull(stateDir, "stateDir == null");
        timing = timing == null ? LabTiming.DEFAULT : timing;
        nodesPerConnection = nodesPerConnection <= 0 ? 50 : nodesPerConnection;
    }

    /** lab-0001 ... with enough digits for the lab's size. */
    public String identity(int index) {
        int width = Math.max(4, Integer.toString(firstNode + nodes).length());
        return String.format("lab-%0" + width + "d", firstNode + index + 1);
    }

    public int pendingCount() {
        return (int) Math.round(nodes * pendingRate);
    }
}
