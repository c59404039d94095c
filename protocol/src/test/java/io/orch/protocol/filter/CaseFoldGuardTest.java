package io.orch.protocol.filter;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The regexes RE2/J 1.8 never finishes compiling (google/re2j#168; found by EnvelopeFuzzTest) are
 * refused before they reach it; their neighbours still compile. Should the guard miss one, this test
 * does not fail but hangs, as a node would.
 */
class CaseFoldGuardTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "x=~/\u1c80/i", "x=~/\\x{1c88}/i", "x=~/(?i)\u1c84/", "x=~/a(?mi:b)\\x{1C80}/", "x=~/[a-\\x{ffff}]/i",
        "x=~/[^\\x{1c00}-\\x{1cff}]/i", "x=~/[\u1c81]/i", "x=~/[)-\ufffd]/i", "x=~/\\Q\u1c85\\E/i",
        "x=~/[[:a[a-\\x{ffff}]/i", "x=~/a-\\x{1c80}/i", "x=~/[---\\x{ffff}]/i", "x=~/[----\\x{ffff}]/i"})
    void caseInsensitiveRegexesThroughUPlus1C80AreRefused(String filter) {
        FilterSyntaxException e = assertThrows(FilterSyntaxException.class, () -> FilterParser.parseFact(filter));
        assertTrue(e.reason().contains("U+1C80..U+1C88"), e::getMessage);
    }

    /**
     * The guard knows the runes whose fold orbit stays open on JDK 17. A newer JDK (newer Unicode) may
     * open others: then this fails, naming them, and the guard needs them too.
     */
    @Test
    void noOtherRuneHasAnOpenFoldOrbitOnThisJdk() throws ReflectiveOperationException {
        Method simpleFold = Class.forName("com.google.re2j.Unicode").getDeclaredMethod("simpleFold", int.class);
        simpleFold.setAccessible(true);
        List<String> open = new ArrayList<>();
        for (int rune = 0; rune <= Character.MAX_CODE_POINT; rune++) {
            int f = (int) simpleFold.invoke(null, rune);
            for (int step = 0; f != rune && step < 16; step++) {
                f = (int) simpleFold.invoke(null, f);
            }
            if (f != rune && (rune < CaseFoldGuard.FIRST || rune > CaseFoldGuard.LAST)) {
                open.add(String.format("U+%04X", rune));
            }
        }
        assertEquals(List.of(), open);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "x=~/\u1c80/", "x=~/[a-\\x{ffff}]/", "x=~/[\\x{1c89}-\\x{ffff}]/i",
        "x=~/\\p{Cyrillic}/i", "x=~/\\pL\\w./i", "x=~/[^a]/i", "x=~/(?m)\u1c80/", "x=~/[a-z\\-]+/i", "x=~/[]a-]/i"})
    void theirNeighboursStillCompile(String filter) {
        assertDoesNotThrow(() -> FilterParser.parseFact(filter));
    }
}
