package io.orch.cli.inventory;

import io.orch.protocol.bus.Destinations;
import java.time.Instant;
import java.util.Objects;

/**
 * A node as its latest announcement described it.
 *
 * @param announcedAt when it announced this (the announcement's {@code time}, never later than when it was learned)
 * @param version     the responder's version, or null when it gave none
 * @param bootId      the boot it announced from, or null
 * @param startedAt   when its responder started, or null
 * @param intervalS   seconds between its periodic announcements, or 0 when unknown
 */
public record KnownNode(String identity, NodeState state, Instant announcedAt, String version, String bootId,
                        Instant startedAt, long intervalS) {
    public KnownNode {
        String problem = Destinations.identityProblem(identity);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        Objects.requireNonNull(state, "state == null");
        Objects.requireNonNull(announcedAt, "announcedAt == null");
        intervalS = Math.max(0, intervalS);
    }

    /** The same announcement, dated no later than {@code now}: a clock ahead of ours must not make it win for ever. */
    public KnownNode notAfter(Instant now) {
        return announcedAt.isAfter(now) ? new KnownNode(identity, state, now, version, bootId, startedAt, intervalS)
                : this;
    }
}
