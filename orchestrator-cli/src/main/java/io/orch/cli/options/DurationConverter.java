package io.orch.cli.options;

import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Durations as people type them: {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}; a bare number is seconds. */
public final class DurationConverter implements ITypeConverter<Duration> {
    /** Longer waits are typos, and would overflow the arithmetic that uses them. */
    static final Duration MAX = Duration.ofDays(7);

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    public static Duration parse(String value) {
        String v = value.trim();
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
            if (d.compareTo(MAX) > 0) {
                throw new TypeConversionException("'" + value + "' is more than " + MAX.toDays() + " days");
            }
            return d;
        } catch (NumberFormatException | ArithmeticException e) {
            throw new TypeConversionException("'" + value + "' is not a duration; use e.g. 500ms, 10s, 2m or 1h");
        }
    }
}
