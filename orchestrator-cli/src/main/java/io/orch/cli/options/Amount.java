package io.orch.cli.options;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A number of nodes, absolute ({@code 10}) or a share of the nodes in play ({@code 10%}), as
 * {@code --batch}, {@code --limit} and {@code --max-failures} take it.
 */
public record Amount(int value, boolean percent) {
    public Amount {
        if (value < 1 || (percent && value > 100)) {
            throw new IllegalArgumentException(percent ? "percent must be 1-100" : "count must be 1 or more");
        }
    }

    /** How many of {@code total} nodes: a share rounds up, so 10% of 5 nodes is 1, never 0. */
    public int of(int total) {
        if (!percent) {
            return value;
        }
        return (int) Math.max(1, ((long) total * value + 99) / 100);
    }

    @Override
    public String toString() {
        return value + (percent ? "%" : "");
    }

    public static Amount parse(String text) {
        String t = text.trim();
        boolean percent = t.endsWith("%");
        String digits = percent ? t.substring(0, t.length() - 1).trim() : t;
        if (!digits.matches("[0-9]{1,9}")) {
            throw new TypeConversionException("'" + text + "' is not a count; use N or N% (e.g. 10 or 10%)");
        }
        int value = Integer.parseInt(digits);
        if (value < 1) {
            throw new TypeConversionException("'" + text + "' must be at least 1");
        }
        if (percent && value > 100) {
            throw new TypeConversionException("'" + text + "' is more than 100%");
        }
        return new Amount(value, percent);
    }

    /** picocli converter: the error names the value; picocli adds the flag. */
    public static final class Converter implements ITypeConverter<Amount> {
        @Override
        public Amount convert(String value) {
            return parse(value);
        }
    }
}
