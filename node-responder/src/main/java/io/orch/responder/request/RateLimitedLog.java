package io.orch.responder.request;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;

/**
 * Warnings about what anyone on the bus can send a node by the thousand (messages it drops, an
 * audit file it cannot write): at most so many lines a minute for each kind, the rest counted,
 * and the count logged with the first line of the next minute that has one. A flood then costs
 * the log a few lines a minute; the audit still has every request.
 */
public final class RateLimitedLog {
    private final Logger log;
    private final int perMinute;
    private final Clock clock;
    /** Keyed by the callers' kinds, a closed set in the code: never by anything a message says. */
    private final Map<String, MinuteWindow> windows = new HashMap<>();

    /** @param perMinute lines each kind may write per minute */
    public RateLimitedLog(Logger log, int perMinute, Clock clock) {
        if (perMinute < 1) {
            throw new IllegalArgumentException("perMinute must be at least 1, got " + perMinute);
        }
        this.log = Objects.requireNonNull(log, "log == null");
        this.perMinute = perMinute;
        this.clock = Objects.requireNonNull(clock, "clock == null");
    }

    /** Logs at WARN unless {@code kind} has used its lines this minute; SLF4J's {@code {}} placeholders. */
    public void warn(String kind, String format, Object... args) {
        if (admit(kind)) {
            log.warn(format, args);
        }
    }

    /** As {@link #warn}, at INFO (the count of lines left out is still a WARN). */
    public void info(String kind, String format, Object... args) {
        if (admit(kind)) {
            log.info(format, args);
        }
    }

    private boolean admit(String kind) {
        MinuteWindow window;
        synchronized (windows) {
            window = windows.computeIfAbsent(kind, k -> new MinuteWindow(perMinute, clock));
        }
        return window.admit((since, count) -> log.warn("{} more of '{}' not logged one by one since {} (at most {} "
                + "lines a minute)", count, kind, since, perMinute));
    }
}
