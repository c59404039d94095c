package io.orch.responder.gate;

import io.orch.protocol.Limits;
import io.orch.protocol.envelope.Action;
import io.orch.protocol.envelope.ReplyStatus;
import io.orch.protocol.envelope.Request;
import io.orch.responder.request.RequestLog;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How often one caller may make this node do costly work: a token bucket per caller and action
 * that holds up to the action's limit per {@link Limits#RATE_WINDOW_SECONDS} and refills evenly
 * over it. The caller is the verified signer (the claimed one under {@code security: insecure}), so
 * the check runs after the signature check; it runs after the replay check too, so that a replayed
 * copy of someone's request cannot use up their allowance. Callers are kept least recently used
 * first, at most {@link Limits#MAX_RATE_LIMITED_CALLERS}; one forgotten starts with a full bucket.
 * A refusal is {@code denied}, naming the limit, and is audited like every gate refusal.
 */
final class RateLimitCheck implements GateCheck {
    private final Clock clock;
    private final Map<Action, Allowance> allowances;
    private final long windowMillis;
    private final Map<String, Map<Action, Bucket>> callers;

    /** How many requests of one action a caller may send per window, and the name of that limit in {@link Limits}. */
    record Allowance(int perWindow, String limitName) {
        Allowance {
            if (perWindow <= 0) {
                throw new IllegalArgumentException("perWindow must be positive, got " + perWindow);
            }
        }
    }

    /** The node's limits, from {@link Limits}. */
    static RateLimitCheck standard(Clock clock) {
        return new RateLimitCheck(clock, Map.of(
                Action.STATUS, new Allowance(Limits.MAX_STATUS_PER_WINDOW, "MAX_STATUS_PER_WINDOW"),
                Action.REBOOT, new Allowance(Limits.MAX_REBOOT_PER_WINDOW, "MAX_REBOOT_PER_WINDOW"),
                Action.CANCEL, new Allowance(Limits.MAX_CANCEL_PER_WINDOW, "MAX_CANCEL_PER_WINDOW"),
                Action.DISCOVER, new Allowance(Limits.MAX_DISCOVER_PER_WINDOW, "MAX_DISCOVER_PER_WINDOW"),
                Action.PING, new Allowance(Limits.MAX_PING_PER_WINDOW, "MAX_PING_PER_WINDOW")),
                Duration.ofSeconds(Limits.RATE_WINDOW_SECONDS), Limits.MAX_RATE_LIMITED_CALLERS);
    }

    /**
     * @param allowances by action; an action not listed is not limited
     * @param maxCallers callers tracked at most
     */
    RateLimitCheck(Clock clock, Map<Action, Allowance> allowances, Duration window, int maxCallers) {
        this.clock = Objects.requireNonNull(clock, "clock == null");
        this.allowances = Map.copyOf(allowances);
        this.windowMillis = window.toMillis();
        if (windowMillis <= 0 || maxCallers <= 0) {
            throw new IllegalArgumentException("window and maxCallers must be positive");
        }
        this.callers = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Map<Action, Bucket>> eldest) {
                return size() > maxCallers;
            }
        };
    }

    @Override
    public Optional<Refusal> check(Candidate candidate) {
        Request request = candidate.request();
        Allowance allowance = allowances.get(request.action());
        if (allowance == null) {
            return Optional.empty();
        }
        int limit = allowance.perWindow();
        String caller = candidate.signer().name();
        long waitMillis;
        synchronized (callers) {
            Bucket bucket = callers.computeIfAbsent(caller, c -> new EnumMap<>(Action.class))
                    .computeIfAbsent(request.action(), a -> new Bucket(limit, clock.millis()));
            waitMillis = bucket.take(limit, windowMillis, clock.millis());
        }
        if (waitMillis == 0) {
            return Optional.empty();
        }
        String why = "rate limit: caller " + caller + " sent more than " + limit + " " + request.action().wireName()
                + " requests in " + windowMillis / 1000 + " s (limit " + allowance.limitName() + "); try again in "
                + Math.max(1, (waitMillis + 999) / 1000) + " s";
        RequestLog.LOG.warn("request {} ({}) denied: {}", request.id(), request.action().wireName(),
                RequestLog.printableMessage(why));
        return Optional.of(new Refusal(ReplyStatus.DENIED, why));
    }

    /** One caller's allowance for one action. */
    private static final class Bucket {
        private double tokens;
        private long lastMillis;

        Bucket(int capacity, long now) {
            this.tokens = capacity;
            this.lastMillis = now;
        }

        /** Takes one request's token; 0 when there was one, else how long until there is. */
        long take(int capacity, long windowMillis, long now) {
            long elapsed = Math.max(0, now - lastMillis); // a clock set back refills nothing
            lastMillis = Math.max(lastMillis, now);
            tokens = Math.min(capacity, tokens + (double) elapsed * capacity / windowMillis);
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return (long) Math.ceil((1 - tokens) * windowMillis / capacity);
        }
    }
}
