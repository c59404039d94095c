package io.orch.protocol.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** A filter can never hang, exhaust or confuse a node: regexes run in linear time and costly ones are refused. */
class RegexSafetyTest {

    private static final FactView LONG_RUN_OF_A = new MapFactView(Map.of("motd", "a".repeat(100_000) + "b"));

    @ParameterizedTest(name = "{0} finishes on 100000 a's and a b")
    @ValueSource(strings = {"motd=~/(a+)+$/", "motd=~/(a|aa)*c/", "motd=~/^(a|a?)+$/", "motd=~/(x+x+)+y/"})
    void catastrophicBacktrackingPatternFinishesAndDoesNotMatch(String filter) throws FilterSyntaxException {
        assertFalse(FilterParser.parseFact(filter).matches(LONG_RUN_OF_A));
    }

    @Test
    void regexIsAFindNotAFullMatch() throws FilterSyntaxException {
        assertTrue(FilterParser.parseFact("motd=~/ab/").matches(LONG_RUN_OF_A));
    }

    @Test
    void deeplyNestedRegexIsRefusedBeforeItCanOverflowTheStack() {
        String regex = "(".repeat(5_000) + "a" + ")".repeat(5_000);
        FilterSyntaxException e = assertThrows(FilterSyntaxException.class,
                () -> FilterParser.parseFact("motd=~/" + regex + "/"));
        assertEquals(6, e.position());
        assertTrue(e.reason().contains("nests groups more than 100 deep"), e.reason());
    }

    @ParameterizedTest(name = "{0} is refused")
    @ValueSource(strings = {"/((a{1000}){1000}){1000}/", "/(a{1000}){11}/", "/(?:[a-z]{500}\\d{500}){20}/", "/((((a{9}){9}){9}){9}){9}/"})
    void regexWhoseRepetitionsExpandTooFarIsRefused(String regex) {
        FilterSyntaxException e = assertThrows(FilterSyntaxException.class,
                () -> FilterParser.parseIdentity(regex));
        assertEquals(0, e.position());
        assertEquals(regex, e.token());
        assertTrue(e.reason().contains("too large"), e.reason());
    }

    @ParameterizedTest(name = "{0} is accepted")
    @ValueSource(strings = {"/^web\\d{1,3}$/", "/a{1000}/", "/(ab){100}c{50}/", "/[(]{1000}/", "/\\Q((((\\E/",
        "/(?i)(?P<role>web|db)-[[:alnum:]]{2,8}/", "/\\p{Greek}{5}/"})
    void ordinaryRegexesAreWithinBudget(String regex) throws FilterSyntaxException {
        assertTrue(FilterParser.parseIdentity(regex) instanceof IdentityMatch);
    }

    @Test
    void oneCompiledFilterIsSafeToShareAcrossThreads() throws Exception {
        Filter filter = FilterParser.parseCompound(
                "(os.family=~/^deb/i or identity=~/^db\\d+$/) and uptime_s>1000 and not reboot_pending_reasons=cbs");
        List<FactView> nodes = List.of(new MapFactView(Fleet.WEB01), new MapFactView(Fleet.DB02),
                new MapFactView(Fleet.WIN07), new MapFactView(Fleet.BARE));
        List<Boolean> expected = nodes.stream().map(filter::matches).toList();
        assertEquals(List.of(true, true, false, false), expected);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int task = 0; task < 1_000; task++) {
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 100; i++) {
                        for (int n = 0; n < nodes.size(); n++) {
                            if (filter.matches(nodes.get(n)) != expected.get(n)) {
                                return false;
                            }
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> result : results) {
                assertTrue(result.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
