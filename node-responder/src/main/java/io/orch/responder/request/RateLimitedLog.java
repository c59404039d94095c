package io.orch.responder.request;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
    private static final Duration WINDOW = Duration.ofMinutes(1);

    private final Logger log;
    private final int perMinute;
    private final Clock clock;
    /** Keyed by the callers' kinds, a closed set in the code: never by anything a message says. */
    private final Map<String, Window> windows = new HashMap<>();

    private static final class Window {
        Instant start;
        int logged;
        long suppressed;

        Window(Instant start) {
            this.start = start;
        }
    }

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

    private synchronized boolean admit(String kind) {
        Instant now = clock.instant();
        Window window = windows.computeIfAbsent(kind, k -> new Window(now));
        if (!now.isBefore(window.start.plus(WINDOW)) || now.isBefore(window.start)) {
            if (window.suppressed > 0) {
                log.warn("{} more of '{}' not logged one by one since {} (at most {} lines a minute)",
                        window.suppressed, kind, window.start, perMinute);
            }
            window.start = now;
            window.logged = 0;
            window.suppressed = 0;
        }
        if (window.logged < perMinute) {
            window.logged++;
            return true;
        }
        window.suppressed++;
        return false;
    }
}
