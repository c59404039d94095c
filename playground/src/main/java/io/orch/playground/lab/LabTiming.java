package io.orch.playground.lab;

import java.time.Duration;

/**
 * How the lab compresses time: a requested reboot delay is multiplied by {@code scale} (so the
 * default one-minute delay takes three seconds at 0.05), and a node stays off the bus for
 * {@code downTime}.
 */
public record LabTiming(double scale, Duration downTime) {
    public static final LabTiming DEFAULT = new LabTiming(0.05, Duration.ofSeconds(3));

    public LabTiming {
        if (scale < 0 || Double.isNaN(scale)) {
            throw new IllegalArgumentException("time scale must be 0 or more, got " + scale);
        }
        if (downTime.isNegative()) {
            throw new IllegalArgumentException("down time must not be negative");
        }
    }

    Duration scaled(Duration delay) {
        return Duration.ofMillis((long) (delay.toMillis() * scale));
    }
}
