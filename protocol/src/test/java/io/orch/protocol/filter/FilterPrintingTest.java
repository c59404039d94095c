package io.orch.protocol.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.google.re2j.Pattern;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Filters print back as readable expressions for logs, and parse into plain, comparable records. */
class FilterPrintingTest {

    static Stream<Arguments> compoundsAndHowTheyPrint() {
        return Stream.of(
                arguments("os.family=debian", "os.family == \"debian\""),
                arguments("a=1 and b!=2", "(a == \"1\" and b != \"2\")"),
                arguments("a<1 or b>2 and c<=3", "(a < \"1\" or (b > \"2\" and c <= \"3\"))"),
                arguments("not (a>=1 or b=~/x\\/y/i)", "not (a >= \"1\" or b =~ /x\\/y/i)"),
                arguments("! a=1", "not a == \"1\""),
                arguments("motd='say \"hi\" \\o/'", "motd == \"say \\\"hi\\\" \\\\o/\""));
    }

    @ParameterizedTest(name = "{0} prints as {1}")
    @MethodSource("compoundsAndHowTheyPrint")
    void compoundPrintsAsReadableExpression(String compound, String printed) throws FilterSyntaxException {
        Filter filter = FilterParser.parseCompound(compound);
        assertEquals(printed, filter.toString());
        assertEquals(filter, FilterParser.parseCompound(printed));
    }

    @Test
    void identityFiltersPrintAsComparisonsOfTheIdentityFact() throws FilterSyntaxException {
        assertEquals("identity == \"web01\"", FilterParser.parseIdentity("web01").toString());
        assertEquals("identity =~ /^web\\d+$/", FilterParser.parseIdentity("/^web\\d+$/").toString());
        assertEquals("identity =~ /^WEB/i", FilterParser.parseIdentity("/^WEB/i").toString());
    }

    @Test
    void matchAllPrintsAsSuch() {
        assertEquals("(match all)", Filter.MATCH_ALL.toString());
    }

    @Test
    void parsedFiltersAreRecordsThatCompareByValue() throws FilterSyntaxException {
        assertEquals(
                new And(List.of(
                        new FactComparison("os.family", Operator.EQ, "debian", null),
                        new Not(new FactComparison("kernel.release", Operator.MATCH, "^5\\.",
                                Pattern.compile("^5\\.", Pattern.CASE_INSENSITIVE))))),
                FilterParser.parseCompound("os.family=debian and not kernel.release=~/^5\\./i"));
        assertEquals(IdentityMatch.exact("web01"), FilterParser.parseIdentity("web01"));
        assertNotEquals(FilterParser.parseFact("a=~/x/"), FilterParser.parseFact("a=~/x/i"));
    }

    @Test
    void regexValueHasItsEscapedSlashesResolved() throws FilterSyntaxException {
        FactComparison c = (FactComparison) FilterParser.parseFact("path=~/^\\/usr\\/lib\\//");
        assertEquals("^/usr/lib/", c.value());
        assertEquals("^/usr/lib/", c.regex().pattern());
        assertEquals("path =~ /^\\/usr\\/lib\\//", c.toString());
    }

    @Test
    void singleEqualsIsReadAsDoubleEquals() throws FilterSyntaxException {
        assertEquals(FilterParser.parseFact("a==1"), FilterParser.parseFact("a = 1"));
        assertEquals(Operator.EQ, Operator.ofSymbol("=").orElseThrow());
        assertEquals("==", Operator.EQ.symbol());
    }

    @Test
    void comparisonRefusesARegexThatDoesNotFitItsOperator() {
        assertThrows(IllegalArgumentException.class,
                () -> new FactComparison("a", Operator.MATCH, "x", null));
        assertThrows(IllegalArgumentException.class,
                () -> new FactComparison("a", Operator.EQ, "x", Pattern.compile("x")));
        assertThrows(IllegalArgumentException.class,
                () -> new FactComparison("a", Operator.MATCH, "x", Pattern.compile("y")));
        assertThrows(IllegalArgumentException.class, () -> new And(List.of()));
        assertNull(IdentityMatch.exact("web01").regex());
    }
}
