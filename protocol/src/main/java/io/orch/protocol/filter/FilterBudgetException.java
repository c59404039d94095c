package io.orch.protocol.filter;

import io.orch.protocol.Limits;

/**
 * A filter that is well formed but asks more of a node than one request may: too many
 * comparisons, identities or regexes, or regexes too large together ({@link Limits}). Its message
 * names the count and the limit, {@code filter has 100 regexes, limit 16}, and nothing of it has
 * been compiled.
 */
public final class FilterBudgetException extends FilterSyntaxException {
    private static final long serialVersionUID = 1L;

    private final long count;
    private final long limit;

    FilterBudgetException(String what, long count, long limit) {
        super(message(what, count, limit), "", 0, "", message(what, count, limit));
        this.count = count;
        this.limit = limit;
    }

    private static String message(String what, long count, long limit) {
        return "filter has " + count + " " + what + ", limit " + limit;
    }

    /** How much of the limited thing the filter holds. */
    public long count() {
        return count;
    }

    /** The limit it went over. */
    public long limit() {
        return limit;
    }
}
