package io.orch.protocol.filter;

/**
 * Refuses regexes that would be too costly to compile or run before RE2/J sees them: RE2/J
 * matches in linear time, but its parser recurses once per nested group and expands counted
 * repetition, so {@code ((((…))))} or {@code ((a{1000}){1000}){1000}} would exhaust the stack or
 * the heap of every node the filter reaches. The estimate below is a rough, generous upper bound
 * of the compiled program size; syntax errors are left for RE2/J to report.
 */
final class RegexBudget {

    /** Deepest group nesting allowed. */
    static final int MAX_DEPTH = 100;
    /** Largest estimated program size allowed (RE2/J compiles {@code a{1000}} to about 1000 steps). */
    static final long MAX_SIZE = 10_000;

    private static final long OVER = MAX_SIZE + 1;

    private RegexBudget() {
    }

    /** Null when {@code source} is within budget, else the reason it is not. */
    static String check(String source) {
        long[] sum = new long[MAX_DEPTH + 1];   // size of the group open at each depth
        long[] last = new long[MAX_DEPTH + 1];  // size of the last item of that group, for a quantifier
        int depth = 0;
        int n = source.length();
        int i = 0;
        while (i < n) {
            char c = source.charAt(i);
            long item = 1;
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
                        return "regex nests groups more than " + MAX_DEPTH + " deep";
                    }
                    depth++;
                    sum[depth] = 0;
                    last[depth] = 0;
                    i++;
                    continue;
                }
                case ')' -> {
                    i++;
                    if (depth == 0) {
                        continue; // RE2/J reports the unbalanced parenthesis
                    }
                    item = add(sum[depth], 1);
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
                    long count = close < 0 ? -1 : repeatCount(source.substring(i + 1, close));
                    if (count < 0) {
                        i++; // a literal brace
                    } else {
                        long grown = mul(last[depth], count);
                        sum[depth] = add(sum[depth], grown - last[depth]);
                        last[depth] = grown;
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
            if (sum[depth] > MAX_SIZE) {
                return tooLarge();
            }
        }
        long total = 0;
        for (int d = 0; d <= depth; d++) {
            total = add(total, sum[d]);
        }
        return total > MAX_SIZE ? tooLarge() : null;
    }

    private static String tooLarge() {
        return "regex is too large (its repetitions expand beyond " + MAX_SIZE + " steps)";
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
