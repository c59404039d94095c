package io.orch.protocol.filter;

import io.orch.protocol.Limits;

/**
 * Refuses regexes that would be too costly to compile or run before RE2/J sees them: RE2/J
 * matches in linear time, but its parser and compiler recurse once per nesting level (a group, and
 * each optional copy of a counted repetition: {@code a{0,252}} compiles 252 levels deep) and expand
 * counted repetition, so {@code ((((…))))}, {@code a{2,1000}} or {@code ((a{1000}){1000}){1000}}
 * would exhaust the stack or the heap of every node the filter reaches. The size estimate below is
 * a rough, generous upper bound of the compiled program size; syntax errors are left for RE2/J.
 * Limits per regex are {@link Limits#MAX_REGEX_NESTING} and {@link Limits#MAX_REGEX_SIZE}; the
 * sizes of one request's regexes add up against {@link Limits#MAX_FILTER_REGEX_SIZE}.
 */
final class RegexBudget {

    private static final int MAX_DEPTH = Limits.MAX_REGEX_NESTING;
    private static final long MAX_SIZE = Limits.MAX_REGEX_SIZE;
    private static final long OVER = MAX_SIZE + 1;

    /** What compiling one regex would cost: its estimated program size, or why it is refused. */
    record Estimate(long size, String refusal) {
        boolean refused() {
            return refusal != null;
        }
    }

    private RegexBudget() {
    }

    /** The estimated size of {@code source}, or why it is over a per-regex limit. */
    static Estimate estimate(String source) {
        long[] sum = new long[MAX_DEPTH + 1];   // size of the group open at each depth
        long[] last = new long[MAX_DEPTH + 1];  // size of the last item of that group, for a quantifier
        int[] nest = new int[MAX_DEPTH + 1];    // deepest nesting of an item of that group
        int[] lastNest = new int[MAX_DEPTH + 1]; // nesting of the last item, for a quantifier
        int depth = 0;
        int n = source.length();
        int i = 0;
        while (i < n) {
            char c = source.charAt(i);
            long item = 1;
            int itemNest = 0;
            boolean quantifiable = true;
            switch (c) {
                case '\\' -> {
                    if (i + 1 < n && source.charAt(i + 1) == 'Q') {
                        int end = source.indexOf("\\E", i + 2);
                        int stop = end < 0 ? n : end;
                        item = Math.max(1, stop - (i + 2));
                        i = end < 0 ? n : end + 2;
                    } else {
                        i = skipEscape(source, i);
                    }
                }
                case '[' -> i = skipClass(source, i);
                case '(' -> {
                    if (depth == MAX_DEPTH) {
                        return refused("regex nests groups more than " + MAX_DEPTH + " deep");
                    }
                    depth++;
                    sum[depth] = 0;
                    last[depth] = 0;
                    nest[depth] = 0;
                    lastNest[depth] = 0;
                    i++;
                    continue;
                }
                case ')' -> {
                    i++;
                    if (depth == 0) {
                        continue; // RE2/J reports the unbalanced parenthesis
                    }
                    item = add(sum[depth], 1);
                    itemNest = nest[depth] + 1;
                    // the group is one level on top of the deepest thing inside it: (((a{0,100}))) is 103
                    if (itemNest > MAX_DEPTH) {
                        return refused("regex nests more than " + MAX_DEPTH + " deep (groups around a counted"
                                + " repetition add to its levels)");
                    }
                    depth--;
                }
                case '|' -> {
                    i++;
                    item = 1;
                    quantifiable = false;
                }
                case '*', '+', '?' -> {
                    i++;
                    item = 1;
                    quantifiable = false;
                }
                case '{' -> {
                    int close = source.indexOf('}', i);
                    String body = close < 0 ? "" : source.substring(i + 1, close);
                    long count = close < 0 ? -1 : repeatCount(body);
                    if (count < 0) {
                        i++; // a literal brace
                    } else {
                        long grown = mul(last[depth], count);
                        sum[depth] = add(sum[depth], grown - last[depth]);
                        last[depth] = grown;
                        // RE2/J nests each optional copy of {n,m} in the one before: x(x(x)?)?
                        long deeper = lastNest[depth] + optionalCopies(body);
                        if (deeper > MAX_DEPTH) {
                            return refused("regex nests more than " + MAX_DEPTH + " deep (each optional copy of {"
                                    + body + "} is a level)");
                        }
                        lastNest[depth] = (int) deeper;
                        nest[depth] = Math.max(nest[depth], lastNest[depth]);
                        i = close + 1;
                        if (sum[depth] > MAX_SIZE) {
                            return tooLarge();
                        }
                        continue;
                    }
                }
                default -> i++;
            }
            sum[depth] = add(sum[depth], item);
            last[depth] = quantifiable ? item : 0;
            lastNest[depth] = quantifiable ? itemNest : 0;
            nest[depth] = Math.max(nest[depth], itemNest);
            if (sum[depth] > MAX_SIZE) {
                return tooLarge();
            }
        }
        long total = 0;
        for (int d = 0; d <= depth; d++) {
            total = add(total, sum[d]);
        }
        return total > MAX_SIZE ? tooLarge() : new Estimate(total, null);
    }

    private static Estimate refused(String why) {
        return new Estimate(-1, why);
    }

    private static Estimate tooLarge() {
        return refused("regex is too large (its repetitions expand beyond " + MAX_SIZE + " steps)");
    }

    /** How many copies of {@code n,m} are optional: m - n, none for {@code n} or {@code n,}. */
    private static long optionalCopies(String body) {
        int comma = body.indexOf(',');
        if (comma < 0 || comma == body.length() - 1) {
            return 0;
        }
        return Math.max(0, number(body.substring(comma + 1)) - number(body.substring(0, comma)));
    }

    /** The larger bound of {@code n}, {@code n,} or {@code n,m}; -1 when not a repetition. */
    private static long repeatCount(String body) {
        int comma = body.indexOf(',');
        String min = comma < 0 ? body : body.substring(0, comma);
        String max = comma < 0 ? "" : body.substring(comma + 1);
        if (!digits(min) || (!max.isEmpty() && !digits(max))) {
            return -1;
        }
        long lo = number(min);
        long hi = max.isEmpty() ? (comma < 0 ? lo : lo + 1) : number(max);
        return Math.max(1, Math.max(lo, hi));
    }

    private static boolean digits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static long number(String digits) {
        return digits.length() > 6 ? OVER : Long.parseLong(digits);
    }

    private static int skipEscape(String s, int i) {
        int n = s.length();
        if (i + 2 < n && s.charAt(i + 2) == '{' && "pPx".indexOf(s.charAt(i + 1)) >= 0) {
            int close = s.indexOf('}', i + 2);
            return close < 0 ? n : close + 1;
        }
        return Math.min(i + 2, n);
    }

    private static int skipClass(String s, int i) {
        int j = i + 1;
        int n = s.length();
        if (j < n && s.charAt(j) == '^') {
            j++;
        }
        if (j < n && s.charAt(j) == ']') {
            j++;
        }
        while (j < n) {
            char c = s.charAt(j);
            if (c == '\\') {
                j += 2;
            } else if (c == '[' && j + 1 < n && s.charAt(j + 1) == ':') {
                int close = s.indexOf(":]", j + 2);
                j = close < 0 ? j + 1 : close + 2;
            } else if (c == ']') {
                return j + 1;
            } else {
                j++;
            }
        }
        return n;
    }

    private static long add(long a, long b) {
        return Math.min(OVER, a + b);
    }

    private static long mul(long a, long b) {
        return Math.min(OVER, a * b);
    }
}
