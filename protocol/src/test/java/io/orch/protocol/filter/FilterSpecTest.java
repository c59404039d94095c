package io.orch.protocol.filter;

import static io.orch.protocol.filter.Fleet.names;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The filter as it travels: JSON with fields fact, identity and compound, compiled by each node. */
class FilterSpecTest {

    private final ObjectMapper mapper = new ObjectMapper();

    static Stream<Arguments> specsAndTheirJson() {
        return Stream.of(
                arguments(FilterSpec.EMPTY, "{}"),
                arguments(new FilterSpec(List.of("reboot_pending=true"), null, null), "{\"fact\":[\"reboot_pending=true\"]}"),
                arguments(new FilterSpec(null, List.of("web01", "/^db\\d+$/"), null),
                        "{\"identity\":[\"web01\",\"/^db\\\\d+$/\"]}"),
                arguments(new FilterSpec(null, null, "a=1 or not b=\"x y\""), "{\"compound\":\"a=1 or not b=\\\"x y\\\"\"}"),
                arguments(new FilterSpec(List.of("os.family=debian", "uptime_s>86400"), List.of("/^web/"), "x=~/y/i"),
                        "{\"fact\":[\"os.family=debian\",\"uptime_s>86400\"],\"identity\":[\"/^web/\"],\"compound\":\"x=~/y/i\"}"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("specsAndTheirJson")
    void specSerializesToExactlyThisJsonAndBack(FilterSpec spec, String json) throws Exception {
        assertEquals(json, mapper.writeValueAsString(spec));
        assertEquals(spec, mapper.readValue(json, FilterSpec.class));
    }

    @Test
    void absentNullAndBlankPartsReadAsTheEmptySpec() throws Exception {
        assertEquals(FilterSpec.EMPTY, mapper.readValue("{}", FilterSpec.class));
        assertEquals(FilterSpec.EMPTY,
                mapper.readValue("{\"fact\":null,\"identity\":[],\"compound\":\"  \"}", FilterSpec.class));
        assertEquals(FilterSpec.EMPTY, new FilterSpec(null, null, ""));
        assertTrue(FilterSpec.EMPTY.isEmpty());
    }

    @Test
    void unknownJsonFieldsAreIgnored() throws Exception {
        assertEquals(new FilterSpec(List.of("a=1"), null, null),
                mapper.readValue("{\"fact\":[\"a=1\"],\"class\":[\"webserver\"]}", FilterSpec.class));
    }

    @Test
    void nullEntryIsRefusedWhenTheSpecIsBuilt() {
        NullPointerException e = assertThrows(NullPointerException.class,
                () -> new FilterSpec(Arrays.asList("a=1", null), null, null));
        assertEquals("fact contains null", e.getMessage());
    }

    @Test
    void specCopiesItsLists() {
        List<String> facts = new java.util.ArrayList<>(List.of("a=1"));
        FilterSpec spec = new FilterSpec(facts, null, null);
        facts.add("b=2");
        assertEquals(List.of("a=1"), spec.fact());
        assertFalse(spec.isEmpty());
    }

    @Test
    void emptySpecCompilesToMatchAll() throws FilterSyntaxException {
        assertSame(Filter.MATCH_ALL, FilterSpec.EMPTY.compile());
        assertEquals(names("web01", "db02", "win07", "bare"), Fleet.selectedBy(FilterSpec.EMPTY.compile()));
    }

    static Stream<Arguments> specsAndTheNodesTheySelect() {
        return Stream.of(
                // every -F must hold
                arguments(new FilterSpec(List.of("uptime_s>0", "reboot_pending=true"), null, null), names("web01", "win07")),
                // any -I may match
                arguments(new FilterSpec(null, List.of("web01", "/^db/"), null), names("web01", "db02")),
                arguments(new FilterSpec(null, null, "not os.family=debian"), names("db02", "win07", "bare")),
                // -F and -I and -S together
                arguments(new FilterSpec(List.of("uptime_s>0"), List.of("web01", "/^db/", "/APP/i"),
                        "not reboot_pending_reasons=kernel"), names("db02", "win07")),
                arguments(new FilterSpec(List.of("os.family=debian"), List.of("db02"), null), names()));
    }

    @ParameterizedTest(name = "{0} selects {1}")
    @MethodSource("specsAndTheNodesTheySelect")
    void compiledSpecNeedsEveryFactAnyIdentityAndTheCompound(FilterSpec spec, Object expected)
            throws FilterSyntaxException {
        assertEquals(expected, Fleet.selectedBy(spec.compile()));
    }

    @Test
    void compiledSpecPrintsAllItsParts() throws FilterSyntaxException {
        FilterSpec spec = new FilterSpec(List.of("os.family=debian"), List.of("web01", "/^db/"), "a=1 or b=2");
        assertEquals("(os.family == \"debian\" and (identity == \"web01\" or identity =~ /^db/) and (a == \"1\" or b == \"2\"))",
                spec.compile().toString());
    }

    @Test
    void badPartFailsTheWholeSpecWithItsOwnPosition() {
        FilterSpec spec = new FilterSpec(List.of("os.family=debian", "os.family=~/[/"), List.of("web01"), null);
        FilterSyntaxException e = assertThrows(FilterSyntaxException.class, spec::compile);
        assertEquals("os.family=~/[/", e.input());
        assertEquals(11, e.position());
    }

    @Test
    void mapForReportsAndAuditHasEveryPartEmptyOnesIncludedInWireOrder() throws Exception {
        assertEquals("{\"fact\":[],\"identity\":[],\"compound\":null}",
                mapper.writeValueAsString(FilterSpec.EMPTY.toMap()));
        assertEquals("{\"fact\":[\"a=1\"],\"identity\":[\"web01\"],\"compound\":\"b=2\"}",
                mapper.writeValueAsString(new FilterSpec(List.of("a=1"), List.of("web01"), "b=2").toMap()));
    }
}
