package io.orch.protocol.filter;

import static io.orch.protocol.filter.Fleet.names;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which nodes of {@link Fleet} each filter selects: every row is checked against all four nodes. */
class FilterSelectionTest {

    static Stream<Arguments> factFilters() {
        return Stream.of(
                // numbers compare numerically, whatever their Java type or string form
                arguments("uptime_s>86400", names("web01")),
                arguments("uptime_s>=86400", names("web01", "win07")),
                arguments("uptime_s==86400", names("win07")),
                arguments("uptime_s=86400.0", names("win07")),
                arguments("uptime_s<86400", names("db02")),
                arguments("uptime_s < 1e5", names("web01", "db02", "win07")),
                arguments("boot_count>=12", names("web01")),
                arguments("memory_gb==16", names("web01")),
                arguments("memory_gb=8.0", names("db02")),
                arguments("load<1", names("web01")),
                arguments("load>1", names("db02")),
                arguments("build>9", names("web01")),
                arguments("build > \"9\"", names("web01")),
                // strings that are not numbers compare as strings: no version ordering
                arguments("version<5.15.0", names("web01")),
                arguments("version>=5.9.0", names()),
                // booleans
                arguments("reboot_pending=true", names("web01", "win07")),
                arguments("reboot_pending=TRUE", names("web01")),
                arguments("reboot_pending==false", names("db02")),
                arguments("reboot_pending!=true", names("db02")),
                arguments("reboot_pending<true", names()),
                // strings, dotted paths, exact case
                arguments("os.family=debian", names("web01")),
                arguments("os.family = debian", names("web01")),
                arguments("  os.family==debian  ", names("web01")),
                arguments("os.family=Debian", names()),
                arguments("os.family!=debian", names("db02", "win07")),
                arguments("os.release.major=12", names("web01")),
                arguments("os.release.full=~/^12\\./", names("web01")),
                arguments("kernel.release=~/^5\\./", names("db02")),
                arguments("kernel.release=shadowed-by-the-dotted-key", names()),
                arguments("identity=web01", names("web01")),
                // quoted values and values running to the end
                arguments("motd=\"hello world (daily)\"", names("web01")),
                arguments("motd='hello world (daily)'", names("web01")),
                arguments("motd=hello world (daily)", names("web01")),
                // regexes: find, case flag, string form of numbers and booleans
                arguments("os.family=~/^deb/", names("web01")),
                arguments("os.family=~/bia/", names("web01")),
                arguments("os.family=~/DEB/i", names("web01")),
                arguments("os.family=~/DEB/", names()),
                arguments("os.family =~ /^(debian|redhat)$/", names("web01", "db02")),
                arguments("motd=~/world \\(daily\\)$/", names("web01")),
                arguments("uptime_s=~/^90000$/", names("web01")),
                arguments("uptime_s=~/^86400$/", names("win07")),
                arguments("reboot_pending=~/^true$/", names("web01", "win07")),
                // lists: any element holds; != holds when no element equals
                arguments("reboot_pending_reasons=kernel", names("web01")),
                arguments("reboot_pending_reasons=~/^c/", names("win07")),
                arguments("reboot_pending_reasons!=kernel", names("db02", "win07")),
                arguments("ports>400", names("web01")),
                arguments("ports=22", names("web01")),
                arguments("ports!=25", names("web01")),
                // missing and map-valued facts never match, not even with !=
                arguments("no_such_fact!=anything", names()),
                arguments("no_such_fact<1", names()),
                arguments("os=debian", names()),
                arguments("os!=debian", names()));
    }

    @ParameterizedTest(name = "-F {0} selects {1}")
    @MethodSource("factFilters")
    void factFilterSelectsExactlyTheseNodes(String filter, Object expected) throws FilterSyntaxException {
        assertEquals(expected, Fleet.selectedBy(FilterParser.parseFact(filter)));
    }

    static Stream<Arguments> identityFilters() {
        return Stream.of(
                arguments("web01", names("web01")),
                arguments(" web01 ", names("web01")),
                arguments("WEB01", names()),
                arguments("web", names()),
                arguments("/^web\\d+$/", names("web01")),
                arguments("/^(web|db)/", names("web01", "db02")),
                arguments("/app/i", names("win07")),
                arguments("/app/", names()),
                arguments("/./", names("web01", "db02", "win07", "bare")));
    }

    @ParameterizedTest(name = "-I {0} selects {1}")
    @MethodSource("identityFilters")
    void identityFilterSelectsExactlyTheseNodes(String filter, Object expected) throws FilterSyntaxException {
        assertEquals(expected, Fleet.selectedBy(FilterParser.parseIdentity(filter)));
    }

    static Stream<Arguments> compoundFilters() {
        return Stream.of(
                arguments("os.family=redhat and (kernel.release=~/^5\\./ or not reboot_pending=true)", names("db02")),
                // precedence: not > and > or
                arguments("os.family=debian or os.family=redhat and uptime_s<86400", names("web01", "db02")),
                arguments("os.family=redhat and uptime_s<86400 or os.family=debian", names("web01", "db02")),
                arguments("(os.family=debian or os.family=redhat) and uptime_s<86400", names("db02")),
                arguments("not os.family=debian and uptime_s>0", names("db02", "win07")),
                arguments("not (os.family=debian and uptime_s>0)", names("db02", "win07", "bare")),
                arguments("NOT os.family=debian AND uptime_s>0", names("db02", "win07")),
                arguments("!os.family=debian", names("db02", "win07", "bare")),
                arguments("! os.family=debian", names("db02", "win07", "bare")),
                arguments("not not os.family=debian", names("web01")),
                arguments("(((os.family=debian)))", names("web01")),
                arguments("(os.family=debian)or(os.family=redhat)", names("web01", "db02")),
                // identity is a fact like any other
                arguments("identity=~/web/ or identity=db02", names("web01", "db02")),
                // quoted values and regexes are read whole, spaces and parentheses included
                arguments("motd=\"hello world (daily)\" and os.family=debian", names("web01")),
                arguments("motd='hello world (daily)'", names("web01")),
                arguments("motd=~/hello world \\(daily\\)/", names("web01")),
                arguments("os.family = \"debian\"", names("web01")),
                // missing facts: a comparison never holds, so its negation does
                arguments("os.family!=debian and os.family!=redhat", names("win07")),
                arguments("not os.family=~/./", names("bare")),
                arguments("reboot_pending_reasons=kernel or reboot_pending_reasons=cbs", names("web01", "win07")),
                arguments("reboot_pending=true and uptime_s>86400", names("web01")));
    }

    @ParameterizedTest(name = "-S {0} selects {1}")
    @MethodSource("compoundFilters")
    void compoundFilterSelectsExactlyTheseNodes(String filter, Object expected) throws FilterSyntaxException {
        assertEquals(expected, Fleet.selectedBy(FilterParser.parseCompound(filter)));
    }

    @ParameterizedTest(name = "-S {0} prints back to an equal filter")
    @MethodSource("compoundFilters")
    void compoundFilterPrintsBackToAnEqualFilter(String filter) throws FilterSyntaxException {
        Filter parsed = FilterParser.parseCompound(filter);
        assertEquals(parsed, FilterParser.parseCompound(parsed.toString()), parsed::toString);
    }

    @ParameterizedTest(name = "-F {0} prints back to an equal filter")
    @MethodSource("factFilters")
    void factFilterPrintsBackToAnEqualFilter(String filter) throws FilterSyntaxException {
        Filter parsed = FilterParser.parseFact(filter);
        assertEquals(parsed, FilterParser.parseFact(parsed.toString()), parsed::toString);
    }
}
