package io.orch.cli.run;

import java.time.Instant;
import java.util.concurrent.CountDownLatch;

/** A clock that moves only when the fake bus or a sleep moves it: runs take no real time. */
final class FakeClock implements RunClock {
    static final Instant EPOCH = Instant.parse("2026-11-22T02:00:00Z");
    private long nanos = 1_000_000_000L;

    @Override
    public long nanoTime() {
        return nanos;
    }

    @Override
    public Instant now() {
        return EPOCH.plusNanos(nanos);
    }

    @Override
    public boolean sleep(long wait, CountDownLatch stop) {
        if (stop.getCount() == 0) {
            return true;
        }
        advanceTo(nanos + wait);
        return stop.getCount() == 0;
    }

    void advanceTo(long at) {
        nanos = Math.max(nanos, at);
    }

    static long ms(long millis) {
        return millis * 1_000_000L;
    }
}
