package io.orch.protocol.filter;

import com.google.re2j.Pattern;

/**
 * Refuses the case-insensitive regexes that RE2/J 1.8 never finishes compiling. Its case folding
 * walks a rune's fold orbit until it comes back to the rune, mixing its own Unicode tables with the
 * JDK's; for U+1C80..U+1C88 (Cyrillic Extended-C, newer than its tables) the orbit never comes back,
 * so {@code /\x{1c80}/i}, or {@code /[a-\x{ffff}]/i} whose range folds rune by rune through them, spins
 * a node's request thread forever (google/re2j#168, found by EnvelopeFuzzTest). Only literal runes and
 * class ranges are folded that way; {@code \p{...}} classes fold from RE2/J's own tables and are safe.
 * Conservative: a regex with an inline {@code (?i)} anywhere counts as folded throughout, and any
 * {@code a-b} as a range. The block is what JDK 17's Unicode 13 adds beyond RE2/J's tables;
 * CaseFoldGuardTest checks that no other rune's orbit stays open on the JDK it runs on.
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
        // Every a-b is taken for a class range, inside brackets or not and whichever way a run of
        // dashes pairs up: no class syntax to track, and refusing a literal "a-\x{ffff}" that ignores
        // case costs nothing.
        int previous = -1; // the rune just read, or -1 after a class escape
        int n = source.length();
        int i = 0;
        while (i < n) {
            int[] read = rune(source, i);
            int rune = read[0];
            if (inUnfoldable(rune)) {
                return problem();
            }
            if (rune == '-' && previous >= 0 && read[1] < n && previous <= LAST
                    && rune(source, read[1])[0] >= FIRST) {
                return problem();
            }
            previous = rune;
            i = read[1];
        }
        return null;
    }

    /** The rune at {@code at}, escapes decoded: {rune, index after it}; see {@link #escape}. */
    private static int[] rune(String s, int at) {
        int c = s.codePointAt(at);
        if (c == '\\' && at + 1 < s.length()) {
            return escape(s, at);
        }
        return new int[] {c, at + Character.charCount(c)};
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
