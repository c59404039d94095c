package io.orch.protocol.filter;

import com.google.re2j.Pattern;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One {@code -I}: the node's {@code identity} fact equals {@code value} exactly, or, when
 * {@code regex} is set, the regex finds a match in it.
 *
 * @param value the identity, or the regex source (equal to {@code regex.pattern()})
 * @param regex null for an exact match
 */
public record IdentityMatch(String value, Pattern regex) implements Filter {

    /** The fact an identity filter reads. */
    public static final String IDENTITY_FACT = "identity";

    public IdentityMatch {
        Objects.requireNonNull(value, "value == null");
        if (regex != null && !regex.pattern().equals(value)) {
            throw new IllegalArgumentException("value '" + value + "' != regex '" + regex.pattern() + "'");
        }
    }

    /** Matches the node whose identity is exactly {@code identity}. */
    public static IdentityMatch exact(String identity) {
        return new IdentityMatch(identity, null);
    }

    public boolean isRegex() {
        return regex != null;
    }

    @Override
    public boolean matches(FactView facts) {
        Object identity = facts.lookup(IDENTITY_FACT);
        if (identity == null || identity instanceof List<?> || identity instanceof Map<?, ?>) {
            return false;
        }
        String text = Values.text(identity);
        return regex == null ? value.equals(text) : regex.matcher(text).find();
    }

    @Override
    public String toString() {
        return regex == null
                ? IDENTITY_FACT + " == " + Filters.quoted(value)
                : IDENTITY_FACT + " =~ " + Filters.regexLiteral(regex);
    }
}
