package io.orch.protocol.filter;

import java.util.Objects;

/**
 * A filter that cannot be parsed. Names the input, the 0-based position of the offending
 * token, the token itself (empty at the end of the input) and the reason:
 * {@code invalid filter 'os.family=~/[/' at position 11 near '/[/': missing closing ] in regex}.
 */
public sealed class FilterSyntaxException extends Exception permits FilterBudgetException {

    private final String input;
    private final int position;
    private final String token;
    private final String reason;

    public FilterSyntaxException(String input, int position, String token, String reason) {
        this(message(input, position, token, reason), input, position, token, reason);
    }

    /** For a refusal of the filter as a whole, with its own {@code message}. */
    FilterSyntaxException(String message, String input, int position, String token, String reason) {
        super(message);
        this.input = Objects.requireNonNull(input, "input == null");
        this.position = position;
        this.token = Objects.requireNonNull(token, "token == null");
        this.reason = Objects.requireNonNull(reason, "reason == null");
        if (position < 0 || position > input.length()) {
            throw new IllegalArgumentException("position " + position + " outside input of length " + input.length());
        }
    }

    public String input() {
        return input;
    }

    /** 0-based index into {@link #input()}; equal to its length when the input ended too early. */
    public int position() {
        return position;
    }

    /** The text at {@link #position()} that could not be read; empty at the end of the input. */
    public String token() {
        return token;
    }

    public String reason() {
        return reason;
    }

    /**
     * Two lines for a terminal: the input, and a caret under the position. Control characters
     * in the input are shown as spaces so the caret lines up.
     */
    public String pointer() {
        StringBuilder line = new StringBuilder(input.length());
        for (int i = 0; i < input.length(); i++) {
            char c = input.charAt(i);
            line.append(Character.isISOControl(c) ? ' ' : c);
        }
        return line + "\n" + " ".repeat(position) + "^";
    }

    private static String message(String input, int position, String token, String reason) {
        String where = " at position " + position;
        if (token != null && !token.isEmpty()) {
            where += " near '" + printable(token) + "'";
        } else if (input != null && position == input.length()) {
            where += " (end of input)";
        }
        return "invalid filter '" + printable(input) + "'" + where + ": " + reason;
    }

    /** Keeps log lines whole: control characters from a remote filter are escaped. */
    private static String printable(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (Character.isISOControl(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
