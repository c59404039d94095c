package io.orch.protocol.filter;

import com.google.re2j.Pattern;

/**
 * Refuses the case-insensitive regexes that RE2/J 1.8 never finishes compiling. Its case folding
 * walks a rune's fold orbit until it comes back to the rune, mixing its own Unicode tables with the
 * JDK's; for U+1C80..U+1C88 (Cyrillic Extended-C, newer than its tables) the orbit never comes back,
 * so {@code /\x{1c80}/i}, or {@code /[a-\x{ffff}]/i} whose range folds rune by rune through them, spins
 * a node's request thread forever (google/re2j#168, found by EnvelopeFuzzTest). Only literal runes and
 * class ranges are folded that way; {@code \p{...}} classes fold from RE2/J's own tables and are safe.
 * Conservative: a regex with an inline {@code (?i)} anywhere counts as folded throughout.
 */
final class CaseFoldGuard {

    static final int FIRST = 0x1C80;
    static final int LAST = 0x1C88;

    private CaseFoldGuard() {
    }

    /** Null when {@code source} compiles safely with {@code flags}, else the reason it does not. */
    static String check(String source, int flags) {
        if ((flags & Pattern.CASE_INSENSITIVE) == 0 && !inlineIgnoreCase(source)) {
            return null;
        }
        boolean inClass = false;
        int classStart = -1;
        int previous = -1; // the rune before a '-' in a class, or -1
        int n = source.length();
        int i = 0;
        while (i < n) {
            int c = source.codePointAt(i);
            int rune;
            int next;
            if (c == '\\' && i + 1 < n) {
                int[] escape = escape(source, i);
                rune = escape[0];
                next = escape[1];
            } else {
                rune = c;
                next = i + Character.charCount(c);
            }
            if (inUnfoldable(rune)) {
                return problem();
            }
            if (!inClass) {
                if (c == '[') {
                    inClass = true;
                    classStart = next;
                    previous = -1;
                    if (next < n && source.charAt(next) == '^') {
                        next++;
                        classStart = next;
                    }
                }
            } else if (c == ']' && i != classStart) {
                inClass = false;
            } else if (c == '-' && previous >= 0 && next < n && source.charAt(next) != ']') {
                int hiAt = next;
                int hi;
                if (source.charAt(hiAt) == '\\' && hiAt + 1 < n) {
                    int[] escape = escape(source, hiAt);
                    hi = escape[0];
                    next = escape[1];
                } else {
                    hi = source.codePointAt(hiAt);
                    next = hiAt + Character.charCount(hi);
                }
                if (hi >= 0 && previous <= LAST && hi >= FIRST) {
                    return problem();
                }
                previous = -1;
                i = next;
                continue;
            } else if (c == '[' && next < n && source.charAt(next) == ':') {
                int close = source.indexOf(":]", next);
                rune = -1;
                next = close < 0 ? n : close + 2;
            }
            previous = inClass ? rune : -1;
            i = next;
        }
        return null;
    }

    private static boolean inUnfoldable(int rune) {
        return rune >= FIRST && rune <= LAST;
    }

    private static String problem() {
        return String.format("regex ignores case for a character in U+%04X..U+%04X, which the regex library cannot "
                + "fold (it would never finish); leave out the i flag or those characters", FIRST, LAST);
    }

    /** {@code (?flags)} or {@code (?flags:} with an {@code i} among the flags. */
    private static boolean inlineIgnoreCase(String source) {
        for (int at = source.indexOf("(?"); at >= 0; at = source.indexOf("(?", at + 2)) {
            for (int j = at + 2; j < source.length(); j++) {
                char f = source.charAt(j);
                if (f == 'i') {
                    return true;
                }
                if ("msU-".indexOf(f) < 0) {
                    break;
                }
            }
        }
        return false;
    }

    /**
     * The escape at {@code at} (a backslash): {rune, index after it}; the rune is -1 for a class of
     * runes ({@code \d}, {@code \pL}, {@code \p{Greek}}), whose folding is safe.
     */
    private static int[] escape(String s, int at) {
        int n = s.length();
        char e = s.charAt(at + 1);
        if (e == 'x') {
            if (at + 2 < n && s.charAt(at + 2) == '{') {
                int close = s.indexOf('}', at + 3);
                int end = close < 0 ? n : close + 1;
                return new int[] {close < 0 ? -1 : hex(s.substring(at + 3, close)), end};
            }
            int end = Math.min(n, at + 4);
            return new int[] {hex(s.substring(at + 2, end)), end};
        }
        if (e == 'p' || e == 'P') {
            if (at + 2 < n && s.charAt(at + 2) == '{') {
                int close = s.indexOf('}', at + 3);
                return new int[] {-1, close < 0 ? n : close + 1};
            }
            return new int[] {-1, Math.min(n, at + 3)};
        }
        if ("dDsSwWbBAzQE".indexOf(e) >= 0) {
            return new int[] {-1, at + 2};
        }
        int c = s.codePointAt(at + 1);
        return new int[] {c, at + 1 + Character.charCount(c)};
    }

    private static int hex(String digits) {
        if (digits.isEmpty() || digits.length() > 8) {
            return -1;
        }
        try {
            return Integer.parseInt(digits, 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
