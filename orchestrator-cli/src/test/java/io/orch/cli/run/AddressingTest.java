package io.orch.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orch.protocol.filter.FilterSpec;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AddressingTest {
    private static FilterSpec filter(List<String> facts, String... identities) {
        return new FilterSpec(facts, List.of(identities), null);
    }

    @Test
    void exactIdentitiesAreAddressedAndExpected() {
        Addressing a = Addressing.of(filter(List.of("os.family=Debian"), "web01", "web02"), Set.of(), Set.of(), 10);
        assertTrue(a.direct());
        assertEquals(Set.of("web01", "web02"), a.addressed());
        assertEquals(Set.of("web01", "web02"), a.expected());
    }

    @Test
    void noIdentitiesAndNoListBroadcastsWithNobodyExpected() {
        Addressing a = Addressing.of(filter(List.of("reboot_pending=true")), Set.of(), Set.of(), 10);
        assertFalse(a.direct());
        assertEquals(Set.of(), a.expected());
    }

    @Test
    void aRegexAmongTheIdentitiesBroadcastsButStillWaitsForTheListedNodes() {
        Addressing a = Addressing.of(filter(List.of(), "web01", "/^db/"), Set.of("db1", "db2"), Set.of(), 10);
        assertFalse(a.direct());
        assertEquals(Set.of("db1", "db2"), a.expected());
        assertEquals(Set.of("db1", "db2"), a.counted(), "only the listed nodes count, though all are asked");
        assertEquals(Set.of(), Addressing.of(filter(List.of(), "/./"), Set.of(), Set.of(), 10).expected());
        assertEquals(Set.of(), Addressing.of(filter(List.of(), "/./"), Set.of(), Set.of(), 10).counted());
    }

    @Test
    void aNodesListAloneIsAddressed() {
        Addressing a = Addressing.of(FilterSpec.EMPTY, Set.of("a", "b"), Set.of(), 10);
        assertEquals(Set.of("a", "b"), a.addressed());
    }

    @Test
    void excludedNodesAreAskedButNotExpected() {
        Addressing a = Addressing.of(filter(List.of(), "c"), Set.of("a", "b"), Set.of("b"), 10);
        assertEquals(Set.of("a", "b", "c"), a.addressed());
        assertEquals(Set.of("a", "c"), a.expected());
    }

    @Test
    void whenEveryNamedNodeIsExcludedItIsABroadcastAsBefore() {
        Addressing a = Addressing.of(filter(List.of(), "a"), Set.of(), Set.of("a"), 10);
        assertFalse(a.direct());
        assertEquals(Set.of(), a.expected());
        assertEquals(Set.of("a"), a.counted(), "the excluded node's answer still counts: it is reported skipped");
    }

    @Test
    void aListLongerThanTheDirectLimitIsBroadcastAndStillAwaitedNodeByNode() {
        Addressing a = Addressing.of(FilterSpec.EMPTY, Set.of("a", "b", "c"), Set.of(), 2);
        assertFalse(a.direct());
        assertEquals(Set.of("a", "b", "c"), a.expected());
        assertEquals(Set.of("a", "b", "c"), a.counted(), "a node off the list never counts, broadcast or not");
        assertTrue(Addressing.of(FilterSpec.EMPTY, Set.of("a", "b"), Set.of(), 2).direct());
    }

    @Test
    void anIdentityNoNodeCanHaveIsLeftToTheBroadcast() {
        assertFalse(Addressing.of(filter(List.of(), "web*"), Set.of(), Set.of(), 10).direct());
    }

    @Test
    void onlyTheIdentitiesOfTheFilterAreJudgedHere() {
        FilterSpec web = filter(List.of("os.family=Debian"), "/^web/", "db01");
        assertTrue(Addressing.mayMatch(web, "web07"));
        assertTrue(Addressing.mayMatch(web, "db01"));
        assertFalse(Addressing.mayMatch(web, "db02"));
        assertTrue(Addressing.mayMatch(filter(List.of("os.family=Debian")), "db02"), "no -I: only the node can tell");
    }
}
