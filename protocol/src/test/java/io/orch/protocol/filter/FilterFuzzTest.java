package io.orch.protocol.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Throws random short strings at the parsers: each either parses or fails with a
 * {@link FilterSyntaxException} that points inside the input, never anything else. What
 * parses can be evaluated and prints back to an equal filter.
 */
class FilterFuzzTest {

    private static final String ALPHABET = "ab=~/()!<> \"'\\.i1";
    private static final String[] TOKENS = {
        "a=1", "b!=x", "c=~/x/", "c=~/(x|y)/i", "d<2", "e>=\"q r\"", "'s'", "and", "or", "not", "AND", "!",
        "(", ")", " ", "=", "=~", "/", "\"", "'", "\\", "a", ".", "/[/", "/a\\/b/"};
    private static final int ROUNDS = 20_000;

    @Test
    void randomCharactersEitherParseOrFailWithAFilterSyntaxException() {
        Random random = new Random(20240601L);
        for (int round = 0; round < ROUNDS; round++) {
            StringBuilder input = new StringBuilder();
            int length = random.nextInt(13);
            for (int i = 0; i < length; i++) {
                input.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            tryAllParsers(input.toString());
        }
    }

    @Test
    void randomTokenSequencesEitherParseOrFailWithAFilterSyntaxException() {
        Random random = new Random(19700101L);
        for (int round = 0; round < ROUNDS; round++) {
            StringBuilder input = new StringBuilder();
            int length = random.nextInt(9);
            for (int i = 0; i < length; i++) {
                input.append(TOKENS[random.nextInt(TOKENS.length)]);
                if (random.nextBoolean()) {
                    input.append(' ');
                }
            }
            tryAllParsers(input.toString());
        }
    }

    private static void tryAllParsers(String input) {
        check(input, "-S", () -> FilterParser.parseCompound(input), FilterParser::parseCompound);
        check(input, "-F", () -> FilterParser.parseFact(input), FilterParser::parseFact);
        check(input, "-I", () -> FilterParser.parseIdentity(input), null);
    }

    private interface Parse {
        Filter run() throws FilterSyntaxException;
    }

    private interface Reparse {
        Filter run(String text) throws FilterSyntaxException;
    }

    private static void check(String input, String kind, Parse parse, Reparse reparse) {
        Filter filter;
        try {
            filter = parse.run();
        } catch (FilterSyntaxException e) {
            assertTrue(e.position() >= 0 && e.position() <= input.length(), () -> kind + " " + e.getMessage());
            assertTrue(e.pointer().endsWith("^"), e::pointer);
            return;
        } catch (RuntimeException | Error e) {
            fail(kind + " '" + input + "' threw " + e, e);
            return;
        }
        Fleet.selectedBy(filter);
        if (reparse != null) {
            try {
                assertEquals(filter, reparse.run(filter.toString()), () -> kind + " '" + input + "' printed as " + filter);
            } catch (FilterSyntaxException e) {
                fail(kind + " '" + input + "' printed as '" + filter + "', which does not parse: " + e.getMessage());
            }
        }
    }
}
