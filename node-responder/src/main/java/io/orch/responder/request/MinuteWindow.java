package io.orch.responder.request;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A share of something per minute (log lines, audit lines): the first {@code perMinute} of each
 * minute get in, the rest are counted and reported when the next minute starts. One minute runs
 * from the first admission after the last one ended, so a quiet node keeps no timer.
 */
public final class MinuteWindow {
    private static final Duration LENGTH = Duration.ofMinutes(1);

    /** Hears how many were refused in the minute that began at {@code since}, once it is over. */
    @FunctionalInterface
    public interface Closed {
        void refused(Instant since, long count);
    }

    private final int perMinute;
    private final Clock clock;
    private Instant start;
    private int admitted;
    private long refused;

    /** @param perMinute how many get in each minute, at least 1 */
    public MinuteWindow(int perMinute, Clock clock) {
        if (perMinute < 1) {
            throw new IllegalArgumentException("perMinute must be at least 1, got " + perMinute);
        }
        this.perMinute = perMinute;
        this.clock = Objects.requireNonNull(clock, "clock == null");
    }

    /**
     * Whether one more fits this minute's share. When a new minute starts (or the clock went back),
     * {@code closed} first hears of the refusals of the one before, if there were any.
     */
    public synchronized boolean admit(Closed closed) {
        Instant now = clock.instant();
        if (start == null || !now.isBefore(start.plus(LENGTH)) || now.isBefore(start)) {
            if (refused > 0) {
                closed.refused(start, refused);
            }
            start = now;
            admitted = 0;
            refused = 0;
        }
        if (admitted < perMinute) {
            admitted++;
            return true;
        }
        refused++;
        return false;
    }
}
