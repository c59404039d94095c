package io.orch.protocol.filter;

import com.google.re2j.Pattern;
import java.util.List;
import java.util.Objects;

/** Shared helpers of the filter records: operand checks and printing values back in filter syntax. */
final class Filters {

    private Filters() {
    }

    static List<Filter> operands(List<Filter> filters, String what) {
        Objects.requireNonNull(filters, "filters == null");
        for (Filter f : filters) {
            Objects.requireNonNull(f, what + " operand == null");
        }
        if (filters.isEmpty()) {
            throw new IllegalArgumentException(what + " needs at least one filter");
        }
        return List.copyOf(filters);
    }

    /** {@code value} in double quotes, with {@code "} and {@code \} escaped, as the parser reads it back. */
    static String quoted(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.append('"').toString();
    }

    /** {@code /source/} with a literal slash written {@code \/}, plus the {@code i} flag when set. */
    static String regexLiteral(Pattern regex) {
        String source = regex.pattern();
        StringBuilder out = new StringBuilder(source.length() + 3).append('/');
        for (int i = 0; i < source.length(); i++) {
            char c = source.charAt(i);
            if (c == '\\' && i + 1 < source.length()) {
                out.append(c).append(source.charAt(++i));
            } else if (c == '/') {
                out.append("\\/");
            } else {
                out.append(c);
            }
        }
        out.append('/');
        if ((regex.flags() & Pattern.CASE_INSENSITIVE) != 0) {
            out.append('i');
        }
        return out.toString();
    }
}
