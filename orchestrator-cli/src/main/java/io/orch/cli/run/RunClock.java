package io.orch.cli.run;

import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Where a run's time comes from: the system's, or a test's that moves only when told. */
public interface RunClock {
    RunClock SYSTEM = new RunClock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public Instant now() {
            return Instant.now();
        }

        @Override
        public boolean sleep(long nanos, CountDownLatch stop) throws InterruptedException {
            return stop.await(nanos, TimeUnit.NANOSECONDS);
        }
    };

    /** Monotonic, for durations: {@link System#nanoTime()} on the system. */
    long nanoTime();

    /** Wall time, for request creation and "last seen". */
    Instant now();

    /** Waits {@code nanos}, or less when {@code stop} opens. @return true when it was stopped */
    boolean sleep(long nanos, CountDownLatch stop) throws InterruptedException;
}
