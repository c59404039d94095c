package io.orch.protocol.filter;

import com.google.re2j.Pattern;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code path OP value}. Comparison is type-aware: a boolean fact against {@code true}/{@code false}
 * compares as booleans, a numeric fact against a numeric literal compares numerically, anything
 * else as strings. A list fact holds when any element does ({@code !=}: when no element equals).
 * A missing or map-valued fact never holds, whatever the operator.
 *
 * @param value the literal; for {@link Operator#MATCH} the regex source, equal to {@code regex.pattern()}
 * @param regex the compiled regex for {@link Operator#MATCH}, null for every other operator
 */
record FactComparison(String path, Operator op, String value, Pattern regex) implements Filter {

    public FactComparison {
        Objects.requireNonNull(path, "path == null");
        Objects.requireNonNull(op, "op == null");
        Objects.requireNonNull(value, "value == null");
        if (path.isEmpty()) {
            throw new IllegalArgumentException("path is empty");
        }
        if ((op == Operator.MATCH) != (regex != null)) {
            throw new IllegalArgumentException("a regex is needed for =~ and only for =~, got op " + op);
        }
        if (regex != null && !regex.pattern().equals(value)) {
            throw new IllegalArgumentException("value '" + value + "' != regex '" + regex.pattern() + "'");
        }
    }

    @Override
    public boolean matches(FactView facts) {
        Object fact = facts.lookup(path);
        if (fact == null || fact instanceof Map<?, ?>) {
            return false;
        }
        if (fact instanceof List<?> list) {
            if (op == Operator.NE) {
                for (Object element : list) {
                    if (Values.compare(element, Operator.EQ, value)) {
                        return false;
                    }
                }
                return true;
            }
            for (Object element : list) {
                if (holdsFor(element)) {
                    return true;
                }
            }
            return false;
        }
        return holdsFor(fact);
    }

    private boolean holdsFor(Object scalar) {
        if (op != Operator.MATCH) {
            return Values.compare(scalar, op, value);
        }
        if (scalar == null || scalar instanceof List<?> || scalar instanceof Map<?, ?>) {
            return false;
        }
        return regex.matcher(Values.text(scalar)).find();
    }

    @Override
    public String toString() {
        String literal = op == Operator.MATCH ? Filters.regexLiteral(regex) : Filters.quoted(value);
        return path + " " + op.symbol() + " " + literal;
    }
}
