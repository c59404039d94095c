package io.orch.responder;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The clock seam's test double: a UTC clock that stands still until the test moves it with
 * {@link #advance(Duration)} or {@link #set(Instant)}. Safe to read and move from several threads.
 */
public final class TestClock extends Clock {
    private final AtomicReference<Instant> now;

    public TestClock(Instant now) {
        this.now = new AtomicReference<>(now);
    }

    /** Moves the clock on by {@code by} (backwards if negative). */
    public void advance(Duration by) {
        now.updateAndGet(t -> t.plus(by));
    }

    /** Puts the clock at {@code instant}. */
    public void set(Instant instant) {
        now.set(instant);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /** Always UTC: returns this clock whatever zone is asked for. */
    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now.get();
    }
}
