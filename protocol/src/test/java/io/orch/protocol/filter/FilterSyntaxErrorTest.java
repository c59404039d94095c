package io.orch.protocol.filter;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every kind of bad filter is refused with the position and token of the culprit. */
class FilterSyntaxErrorTest {

    static Stream<Arguments> badFactFilters() {
        return Stream.of(
                arguments("", 0, "", "empty fact filter"),
                arguments("   ", 0, "", "empty fact filter"),
                arguments("os.family debian", 10, "debian", "expected an operator"),
                arguments("os.family", 9, "", "expected an operator"),
                arguments("os.family:debian", 9, ":debian", "expected an operator"),
                arguments("=debian", 0, "=debian", "expected a fact name"),
                arguments("os..family=debian", 0, "os..family", "empty path segment"),
                arguments(".os=debian", 0, ".os", "empty path segment"),
                arguments("os.family=>debian", 9, "=>", "unknown operator '=>'"),
                arguments("a=!b", 1, "=!", "unknown operator '=!'"),
                arguments("os.family=", 10, "", "missing value after '='"),
                arguments("os.family ==   ", 15, "", "missing value after '=='"),
                arguments("os.family=~debian", 11, "debian", "expected /regex/ after '=~'"),
                arguments("os.family=~/[/", 11, "/[/", "missing closing ] in regex"),
                arguments("os.family =~ /(deb/", 13, "/(deb/", "missing closing ) in regex"),
                arguments("os.family=~/a**/", 11, "/a**/", "invalid nested repetition operator in regex"),
                arguments("os.family=~/deb", 11, "/deb", "unterminated regex"),
                arguments("os.family=~/deb\\/", 11, "/deb\\/", "unterminated regex"),
                arguments("os.family=~/deb/x", 16, "x", "unknown regex flag 'x'"),
                arguments("os.family=~/deb/ extra", 17, "extra", "unexpected text after the value"),
                arguments("motd=\"hello", 5, "\"hello", "unterminated quoted value"),
                arguments("motd='hello", 5, "'hello", "unterminated quoted value"),
                arguments("motd=\"a\"b", 8, "b", "right after the quoted value"),
                arguments("motd=\"a\" b", 9, "b", "unexpected text after the value"));
    }

    @ParameterizedTest(name = "-F {0} fails at {1} near ''{2}''")
    @MethodSource("badFactFilters")
    void badFactFilterIsRefusedAtTheCulprit(String input, int position, String token, String reason) {
        assertRefused(() -> FilterParser.parseFact(input), input, position, token, reason);
    }

    static Stream<Arguments> badIdentityFilters() {
        return Stream.of(
                arguments("", 0, "", "empty identity filter"),
                arguments("  ", 0, "", "empty identity filter"),
                arguments("/^web[/", 0, "/^web[/", "missing closing ] in regex"),
                arguments("/web", 0, "/web", "unterminated regex"),
                arguments("/web/ x", 6, "x", "unexpected text after the regex"),
                arguments("web01 web02", 6, "web02", "one identity per -I"),
                arguments("/web/g", 5, "g", "unknown regex flag 'g'"));
    }

    @ParameterizedTest(name = "-I {0} fails at {1} near ''{2}''")
    @MethodSource("badIdentityFilters")
    void badIdentityFilterIsRefusedAtTheCulprit(String input, int position, String token, String reason) {
        assertRefused(() -> FilterParser.parseIdentity(input), input, position, token, reason);
    }

    static Stream<Arguments> badCompoundFilters() {
        return Stream.of(
                arguments("", 0, "", "empty expression"),
                arguments(" \t ", 0, "", "empty expression"),
                arguments("os.family debian", 10, "debian", "expected an operator"),
                arguments("a=1 and os.family", 17, "", "expected an operator"),
                arguments("(os.family=debian", 0, "(", "unmatched '('"),
                arguments("(a=1 and (b=2)", 0, "(", "unmatched '('"),
                arguments("((a=1) and b=2", 0, "(", "unmatched '('"),
                arguments("(", 0, "(", "unmatched '('"),
                arguments("os.family=debian)", 16, ")", "unmatched ')'"),
                arguments("(a=1) and b=2)", 13, ")", "unmatched ')'"),
                arguments(")", 0, ")", "unmatched ')'"),
                arguments("()", 1, ")", "empty parentheses"),
                arguments("a=1 and", 4, "and", "dangling 'and'"),
                arguments("a=1 OR  ", 4, "OR", "dangling 'OR'"),
                arguments("not", 0, "not", "dangling 'not'"),
                arguments("a=1 and !", 8, "!", "dangling '!'"),
                arguments("and a=1", 0, "and", "expected a fact comparison before 'and'"),
                arguments("a=1 and or b=2", 8, "or", "expected a fact comparison before 'or'"),
                arguments("(a=1 and)", 8, ")", "expected a fact comparison after 'and', found ')'"),
                arguments("a=1 b=2", 4, "b=2", "expected 'and' or 'or' before 'b=2'"),
                arguments("(a=1 b=2)", 5, "b=2", "expected 'and', 'or' or ')' before 'b=2'"),
                arguments("a=", 2, "", "missing value after '='"),
                arguments("(a=)", 3, ")", "missing value after '='"),
                arguments("a=1 and =2", 8, "=2", "expected a fact name"),
                arguments("not=1", 3, "=1", "expected a fact name"),
                arguments("a=1 OR=2", 6, "=2", "expected a fact name"),
                arguments("AND=or", 0, "AND", "expected a fact comparison before 'AND'"),
                arguments("os.family=~/[/ and a=1", 11, "/[/", "missing closing ] in regex"),
                arguments("a=~/x", 3, "/x", "unterminated regex"),
                arguments("a=~/x) or b=1", 3, "/x) or b=1", "unterminated regex"),
                arguments("a=~/x/(", 6, "(", "right after the regex"),
                arguments("motd=\"hello world", 5, "\"hello world", "unterminated quoted value"),
                arguments("not ".repeat(101) + "a=1", 400, "not", "nested more than 100 deep"),
                arguments("(".repeat(101) + "a=1" + ")".repeat(101), 100, "(", "nested more than 100 deep"));
    }

    @ParameterizedTest(name = "-S {0} fails at {1} near ''{2}''")
    @MethodSource("badCompoundFilters")
    void badCompoundFilterIsRefusedAtTheCulprit(String input, int position, String token, String reason) {
        assertRefused(() -> FilterParser.parseCompound(input), input, position, token, reason);
    }

    @Test
    void messageNamesInputPositionTokenAndReason() {
        FilterSyntaxException e = assertThrows(FilterSyntaxException.class,
                () -> FilterParser.parseFact("os.family=~/[/"));
        assertEquals("invalid filter 'os.family=~/[/' at position 11 near '/[/': missing closing ] in regex",
                e.getMessage());
    }

    @Test
    void pointerPutsACaretUnderTheCulprit() {
        FilterSyntaxException e = assertThrows(FilterSyntaxException.class,
                () -> FilterParser.parseFact("os.family=~/[/"));
        assertEquals("os.family=~/[/\n           ^", e.pointer());
    }

    @Test
    void messageSaysWhenTheInputEndedTooEarly() {
        FilterSyntaxException e = assertThrows(FilterSyntaxException.class,
                () -> FilterParser.parseFact("os.family="));
        assertEquals("invalid filter 'os.family=' at position 10 (end of input): missing value after '='",
                e.getMessage());
        assertEquals("os.family=\n          ^", e.pointer());
    }

    @Test
    void controlCharactersFromARemoteFilterCannotSplitALogLine() {
        FilterSyntaxException e = assertThrows(FilterSyntaxException.class,
                () -> FilterParser.parseCompound("a=1\nb=2"));
        assertTrue(e.getMessage().contains("'a=1\\nb=2'"), e.getMessage());
        assertEquals("a=1 b=2\n    ^", e.pointer());
    }

    private static void assertRefused(Executable parse, String input, int position, String token, String reason) {
        FilterSyntaxException e = assertThrows(FilterSyntaxException.class, parse);
        assertAll(e.getMessage(),
                () -> assertEquals(input, e.input(), "input"),
                () -> assertEquals(position, e.position(), "position"),
                () -> assertEquals(token, e.token(), "token"),
                () -> assertTrue(e.reason().contains(reason), () -> "reason: " + e.reason()));
    }
}
