package io.orch.cli.options;

import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Durations as people type them: {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}; a bare number is seconds.
 * Waits go up to a week ({@link #MAX}); how long to remember something ({@link Retention}) also takes days,
 * {@code 30d}, up to {@link #MAX_RETENTION}.
 */
public final class DurationConverter implements ITypeConverter<Duration> {
    /** Longer waits are typos, and would overflow the arithmetic that uses them. */
    static final Duration MAX = Duration.ofDays(7);
    /** The longest a retention setting (e.g. {@code inventory_forget_after}) may be: ten years. */
    public static final Duration MAX_RETENTION = Duration.ofDays(3650);

    /** A retention: how long to remember something, up to {@link #MAX_RETENTION}. */
    public static final class Retention implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            Duration d = parse(value, MAX_RETENTION);
            if (d.isZero()) {
                throw new TypeConversionException("'" + value + "' is no time at all; use e.g. 30d");
            }
            return d;
        }
    }

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    public static Duration parse(String value) {
        return parse(value, MAX);
    }

    /** As {@link #parse(String)}, up to {@code max}; beyond a week, days ({@code 30d}) are taken too. */
    public static Duration parse(String value, Duration max) {
        String v = value.trim();
        if (max.compareTo(MAX) > 0 && v.endsWith("d")) {
            try {
                v = Math.multiplyExact(Long.parseLong(v.substring(0, v.length() - 1)), 24) + "h";
            } catch (NumberFormatException | ArithmeticException e) {
                throw new TypeConversionException("'" + value + "' is not a duration; use e.g. 12h or 30d");
            }
        }
        try {
            Duration d;
            if (v.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            } else if (v.endsWith("s")) {
                d = Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
            } else if (v.endsWith("m")) {
                d = Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
            } else if (v.endsWith("h")) {
                d = Duration.ofHours(Long.parseLong(v.substring(0, v.length() - 1)));

            } else {
                d = Duration.ofSeconds(Long.parseLong(v));
            }
            if (d.isNegative()) {
                throw new TypeConversionException("'" + value + "' is negative");
            }
            if (d.compareTo(max) > 0) {
                throw new TypeConversionException("'" + value + "' is more than " + max.toDays() + " days");
            }
            return d;
        } catch (NumberFormatException | ArithmeticException e) {
            throw new TypeConversionException("'" + value + "' is not a duration; use e.g. 500ms, 10s, 2m or 1h");
        }
    }
}
