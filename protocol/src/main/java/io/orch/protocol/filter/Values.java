package io.orch.protocol.filter;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Locale;

/** How a fact value and a literal compare: booleans as booleans, numbers as numbers, else strings. */
final class Values {

    private Values() {
    }

    /**
     * Compares one scalar fact value with a literal under {@code op} (not {@link Operator#MATCH}).
     * Lists, maps and null never compare.
     */
    static boolean compare(Object fact, Operator op, String literal) {
        if (fact == null || fact instanceof java.util.List<?> || fact instanceof java.util.Map<?, ?>) {
            return false;
        }
        if (fact instanceof Boolean b) {
            Boolean lit = bool(literal);
            if (lit != null) {
                return switch (op) {
                    case EQ -> b.equals(lit);
                    case NE -> !b.equals(lit);
                    default -> false;
                };
            }
        }
        BigDecimal left = number(fact);
        if (left != null) {
            BigDecimal right = number(literal);
            if (right != null) {
                return op.holds(left.compareTo(right));
            }
        }
        return op.holds(text(fact).compareTo(literal));
    }

    /** The string a regex sees: booleans as {@code true}/{@code false}, integral numbers without {@code .0}. */
    static String text(Object value) {
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                return value.toString();
            }
            return plain(new BigDecimal(value.toString()));
        }
        if (value instanceof BigDecimal d) {
            return plain(d);
        }
        return String.valueOf(value);
    }

    private static String plain(BigDecimal d) {
        BigDecimal stripped = d.stripTrailingZeros();
        return stripped.signum() == 0 ? "0" : stripped.toPlainString();
    }

    /** {@code true}/{@code false} in any case, else null. */
    static Boolean bool(String literal) {
        return switch (literal.toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> null;
        };
    }

    /** The value as a number: a finite {@code Number}, or a string in plain decimal notation; else null. */
    static BigDecimal number(Object value) {
        try {
            if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
                return BigDecimal.valueOf(((Number) value).longValue());
            }
            if (value instanceof BigDecimal d) {
                return d;
            }
            if (value instanceof BigInteger i) {
                return new BigDecimal(i);
            }
            if (value instanceof Double || value instanceof Float) {
                double d = ((Number) value).doubleValue();
                return Double.isNaN(d) || Double.isInfinite(d) ? null : new BigDecimal(value.toString());
            }
            String s = value instanceof Number ? value.toString() : value instanceof String str ? str : null;
            return s != null && isDecimal(s) ? new BigDecimal(s) : null;
        } catch (NumberFormatException | ArithmeticException e) {
            return null; // an exponent out of BigDecimal's range: not a number we compare
        }
    }

    /** {@code [+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?}, nothing else. */
    static boolean isDecimal(String s) {
        int i = 0;
        int n = s.length();
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            i++;
        }
        int intDigits = 0;
        while (i < n && isDigit(s.charAt(i))) {
            i++;
            intDigits++;
        }
        int fracDigits = 0;
        if (i < n && s.charAt(i) == '.') {
            i++;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
                fracDigits++;
            }
        }
        if (intDigits + fracDigits == 0) {
            return false;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int expDigits = 0;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
                expDigits++;
            }
            if (expDigits == 0) {
                return false;
            }
        }
        return i == n;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
