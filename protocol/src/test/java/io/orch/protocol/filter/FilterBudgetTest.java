package io.orch.protocol.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orch.protocol.Limits;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One request's filter as a whole is held to a budget (comparisons, exact identities, regexes,
 * their total size), checked before any regex is compiled, and the refusal names the limit.
 */
class FilterBudgetTest {
    /** 9,900 estimated steps: under the per-regex limit, so only the per-request budget stops 100 of them. */
    private static final String HEAVY = "x=~/(a{99}){99}/";

    private static FilterSpec facts(List<String> facts) {
        return new FilterSpec(facts, List.of(), null);
    }

    @Test
    void theFilterThatRanANodeOutOfMemoryIsRefusedNamingTheLimit() {
        FilterBudgetException e = assertThrows(FilterBudgetException.class,
                () -> facts(Collections.nCopies(100, HEAVY)).compile());
        assertEquals("filter has 100 regexes, limit 16", e.getMessage());
        assertEquals(100, e.count());
        assertEquals(Limits.MAX_FILTER_REGEXES, e.limit());
    }

    @Test
    void theBudgetIsCheckedBeforeAnyRegexIsCompiled() {
        // 'a**' is an error only RE2/J's compiler finds: were anything compiled first, that error would win.
        List<String> parts = new ArrayList<>(List.of("x=~/a**/"));
        parts.addAll(Collections.nCopies(Limits.MAX_FILTER_REGEXES, "x=~/a/"));
        FilterBudgetException e = assertThrows(FilterBudgetException.class, () -> facts(parts).compile());
        assertEquals("filter has 17 regexes, limit 16", e.getMessage());

        FilterSyntaxException compileError = assertThrows(FilterSyntaxException.class,
                () -> facts(parts.subList(0, 2)).compile());
        assertTrue(compileError.reason().contains("invalid nested repetition"), compileError.reason());
    }

    @Test
    void regexesCountOverEveryPartOfTheRequest() {
        FilterSpec spread = new FilterSpec(Collections.nCopies(6, "os.family=~/^deb/"),
                Collections.nCopies(6, "/^web\\d+$/"),
                String.join(" or ", Collections.nCopies(5, "kernel.release=~/^6\\./")));
        FilterBudgetException e = assertThrows(FilterBudgetException.class, spread::compile);
        assertEquals("filter has 17 regexes, limit 16", e.getMessage());
    }

    @Test
    void sixteenRegexesAreWithinBudget() throws FilterSyntaxException {
        assertTrue(facts(Collections.nCopies(Limits.MAX_FILTER_REGEXES, "os.family=~/^deb/i")).compile() instanceof And);
    }

    @Test
    void theSizesOfAllRegexesAddUp() throws FilterSyntaxException {
        facts(Collections.nCopies(2, HEAVY)).compile();
        FilterBudgetException e = assertThrows(FilterBudgetException.class,
                () -> facts(Collections.nCopies(3, HEAVY)).compile());
        assertEquals("filter has 29700 regex steps in all (estimated program size), limit "
                + Limits.MAX_FILTER_REGEX_SIZE, e.getMessage());
    }

    @Test
    void oneCompoundIsHeldToTheSameBudget() {
        String compound = String.join(" or ", Collections.nCopies(100, HEAVY));
        FilterBudgetException e = assertThrows(FilterBudgetException.class,
                () -> FilterParser.parseCompound(compound));
        assertEquals("filter has 100 regexes, limit 16", e.getMessage());
    }

    @Test
    void comparisonsAreCountedUpToTheAtomLimit() throws FilterSyntaxException {
        String atLimit = IntStream.range(0, Limits.MAX_FILTER_ATOMS).mapToObj(i -> "n=" + i)
                .reduce((a, b) -> a + " or " + b).orElseThrow();
        FilterParser.parseCompound(atLimit);
        FilterBudgetException e = assertThrows(FilterBudgetException.class,
                () -> new FilterSpec(List.of("m=1"), List.of(), atLimit).compile());
        assertEquals("filter has 1001 comparisons, limit " + Limits.MAX_FILTER_ATOMS, e.getMessage());
    }

    @Test
    void aWholeInventoryOfExactIdentitiesFitsAndIsCountedApart() throws FilterSyntaxException {
        List<String> inventory = IntStream.range(0, 10_000).mapToObj(i -> "node-" + i + ".example.org").toList();
        Filter filter = new FilterSpec(List.of(), inventory, null).compile();
        assertTrue(filter.matches(new MapFactView(java.util.Map.of("identity", "node-9999.example.org"))));

        List<String> tooMany = IntStream.range(0, Limits.MAX_FILTER_IDENTITIES + 1).mapToObj(i -> "n" + i).toList();
        FilterBudgetException e = assertThrows(FilterBudgetException.class,
                () -> new FilterSpec(List.of(), tooMany, null).compile());
        assertEquals("filter has " + (Limits.MAX_FILTER_IDENTITIES + 1) + " exact identities, limit "
                + Limits.MAX_FILTER_IDENTITIES, e.getMessage());
    }

    @ParameterizedTest(name = "{0} is refused: RE2/J would compile it more than 100 levels deep")
    @ValueSource(strings = {"/a{0,101}/", "/a{2,1000}/", "/(a{0,60}){0,41}/", "/(((a))){0,98}/", "/(a{0,100})/",
        "/(((a{0,98})))/"})
    void optionalCopiesOfACountedRepetitionCountAsNesting(String regex) {
        FilterSyntaxException e = assertThrows(FilterSyntaxException.class, () -> FilterParser.parseIdentity(regex));
        assertTrue(e.reason().startsWith("regex nests more than 100 deep"), e.reason());
        assertEquals(0, e.position());
    }

    @Test
    void groupsAroundACountedRepetitionAreCheckedWhereTheyClose() {
        // 100 groups around a{0,100}: every '(' is within the group limit and a{0,100} alone is
        // too, but RE2/J would recurse 200 levels deep
        String overNested = "(".repeat(100) + "a{0,100}" + ")".repeat(100);
        FilterSyntaxException e = assertThrows(FilterSyntaxException.class,
                () -> FilterParser.parseIdentity("/" + overNested + "/"));
        assertTrue(e.reason().startsWith("regex nests more than 100 deep"), e.reason());

        String notChain = "not (".repeat(Limits.MAX_FILTER_DEPTH / 2) + "x=~/" + overNested + "/"
                + ")".repeat(Limits.MAX_FILTER_DEPTH / 2);
        FilterSyntaxException inCompound = assertThrows(FilterSyntaxException.class,
                () -> FilterParser.parseCompound(notChain));
        assertTrue(inCompound.reason().startsWith("regex nests more than 100 deep"), inCompound.reason());
    }

    @Test
    void theDeepestNotChainIsFiftyNotParenthesesAndCarriesARegexAtTheLimit() throws FilterSyntaxException {
        int deepest = Limits.MAX_FILTER_DEPTH / 2; // "not (" is two levels
        String half = "(".repeat(50) + "a{0,50}" + ")".repeat(50);
        FilterParser.parseCompound("not (".repeat(deepest) + "x=~/" + half + "/" + ")".repeat(deepest));
        FilterSyntaxException e = assertThrows(FilterSyntaxException.class, () -> FilterParser.parseCompound(
                "not (".repeat(deepest + 1) + "x=1" + ")".repeat(deepest + 1)));
        assertTrue(e.reason().contains("nested more than " + Limits.MAX_FILTER_DEPTH + " deep"), e.reason());
    }

    @ParameterizedTest(name = "{0} is within the nesting limit")
    @ValueSource(strings = {"/a{0,100}/", "/(a{0,50}){0,49}/", "/[a-z]{2,8}\\d{1,3}/", "/a{1000,}/", "/(a{0,99})/",
        "/((((((((((a{0,90}))))))))))/"})
    void nestingUpToTheLimitIsAccepted(String regex) throws FilterSyntaxException {
        assertTrue(FilterParser.parseIdentity(regex) instanceof IdentityMatch);
    }
}
