package io.orch.protocol.filter;

import io.orch.protocol.Limits;

/**
 * The per-request budget of a filter: what all of its parts ({@code -F}, {@code -I}, {@code -S})
 * hold together, counted while they are read and before any regex is compiled, so that a
 * request cannot make a node compile more than {@link Limits} allows however it spreads its
 * regexes over the parts. One instance tallies one request; not thread-safe.
 */
final class FilterBudget {
    private long atoms;
    private long identities;
    private long regexes;
    private long regexSize;

    /** A comparison ({@code -F} or {@code -S} atom). */
    void comparison() {
        atoms++;
    }

    /** An exact {@code -I} identity: a string comparison, counted apart from the atoms. */
    void identity() {
        identities++;
    }

    /** A regex of this estimated size, as a {@code =~} comparison or a {@code -I /regex/}. */
    void regex(long size) {
        atoms++;
        regexes++;
        regexSize += size;
    }

    /** @throws FilterBudgetException naming the first limit the tally is over */
    void check() throws FilterBudgetException {
        over("comparisons", atoms, Limits.MAX_FILTER_ATOMS);
        over("exact identities", identities, Limits.MAX_FILTER_IDENTITIES);
        over("regexes", regexes, Limits.MAX_FILTER_REGEXES);
        over("regex steps in all (estimated program size)", regexSize, Limits.MAX_FILTER_REGEX_SIZE);
    }

    private static void over(String what, long count, long limit) throws FilterBudgetException {
        if (count > limit) {
            throw new FilterBudgetException(what, count, limit);
        }
    }
}
