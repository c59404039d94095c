package io.orch.responder.registry;

import io.orch.protocol.Limits;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How a node announces itself, apart from who it is (that comes from its facts when it starts serving).
 *
 * @param interval  how often it announces while up ({@code registry.interval_s})
 * @param version   the responder's orch version
 * @param startedAt when this responder process started
 * @param timer     where announcements are signed and sent
 * @param random    draws each interval's jitter
 */
public record Presence(Duration interval, String version, Instant startedAt, AnnounceTimer timer,
                       RandomGenerator random) {
    /** orch's version, as {@code orch --version} shows it. */
    public static final String VERSION = "0.1.0";
    /** Announcing every ten minutes: 17 messages a second from 10,000 nodes. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(10);

    public Presence {
        Objects.requireNonNull(interval, "interval == null");
        Objects.requireNonNull(version, "version == null");
        Objects.requireNonNull(startedAt, "startedAt == null");
        Objects.requireNonNull(timer, "timer == null");
        Objects.requireNonNull(random, "random == null");
        String problem = intervalProblem(interval.toSeconds());
        if (problem != null || interval.toNanosPart() != 0) {
            throw new IllegalArgumentException(problem != null ? problem : "interval must be whole seconds");
        }
    }

    /** Why {@code seconds} cannot be an announcement interval, or null when it can. */
    public static String intervalProblem(long seconds) {
        if (seconds < Limits.MIN_ANNOUNCE_INTERVAL_SECONDS || seconds > Limits.MAX_ANNOUNCE_INTERVAL_SECONDS) {
            return "registry.interval_s must be between " + Limits.MIN_ANNOUNCE_INTERVAL_SECONDS + " and "
                    + Limits.MAX_ANNOUNCE_INTERVAL_SECONDS + " (a minute to a day), got " + seconds;
        }
        return null;
    }
}
