package io.orch.protocol.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Destination names of a collective, and the names that must never become one (wildcards, separators). */
class DestinationsTest {

    private final Destinations orch = new Destinations(Destinations.DEFAULT_COLLECTIVE);

    @Test
    void defaultCollectiveUsesTheDocumentedNames() {
        assertEquals("orch", orch.collective());
        assertEquals("orch.broadcast", orch.broadcast());
        assertEquals("orch.node.web01", orch.node("web01"));
        assertEquals("orch.events", orch.events());
        assertEquals("orch.registry.web01", orch.registry("web01"));
        assertEquals("orch.registry.>", orch.registryWildcard());
        assertEquals("orch.registry.~sync", orch.registryBarrier());
    }

    @Test
    void noIdentityCanTakeTheBarrierTopic() {
        assertNotNull(Destinations.identityProblem(RegistryBarrier.NAME));
        assertThrows(IllegalArgumentException.class, () -> orch.registry(RegistryBarrier.NAME));
    }

    @Test
    void aRegistryTopicNamesItsIdentityAndNoOtherTopicDoes() {
        assertEquals(java.util.Optional.of("web01.example.com"), orch.registryIdentity("orch.registry.web01.example.com"));
        assertEquals(java.util.Optional.empty(), orch.registryIdentity(orch.registryBarrier()));
        assertEquals(java.util.Optional.empty(), orch.registryIdentity("prod.registry.web01"));
        assertEquals(java.util.Optional.empty(), orch.registryIdentity("orch.events"));
        assertEquals(java.util.Optional.empty(), orch.registryIdentity("orch.registry."));
        assertEquals(java.util.Optional.empty(), orch.registryIdentity(null));
    }

    @Test
    void otherCollectivesArePrefixedWithTheirName() {
        Destinations staging = new Destinations("staging-2");
        assertEquals("staging-2.broadcast", staging.broadcast());
        assertEquals("staging-2.node.db01.example.com", staging.node("db01.example.com"));
        assertEquals("staging-2.events", staging.events());
    }

    @ParameterizedTest
    @ValueSource(strings = {"o", "orch", "prod_eu-1", "A9", "x123456789012345678901234567890123456789012345678901234567890123"})
    void validCollectiveIsAccepted(String collective) {
        assertEquals(collective + ".broadcast", new Destinations(collective).broadcast());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "*", ">", "orch.*", "orch.>", "prod.eu", "or ch", "orch/", "orch,prod",
            "x1234567890123456789012345678901234567890123456789012345678901234", "prod\n", "çava"})
    void collectiveWithWildcardsOrSeparatorsIsRefused(String collective) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Destinations(collective));
        assertTrue(e.getMessage().startsWith("invalid collective '" + collective + "'"), e.getMessage());
    }

    @Test
    void nullCollectiveIsRefused() {
        assertEquals("collective == null",
                assertThrows(NullPointerException.class, () -> new Destinations(null)).getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"web01", "WEB-01", "db_2", "web01.example.com", "1host", "a", "node..x"})
    void validIdentityIsAccepted(String identity) {
        assertNull(Destinations.identityProblem(identity));
        assertEquals("orch.node." + identity, orch.node(identity));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "*", ">", "web*", "web.>", "web.*.x", ".web01", "web 01", "web01/x", "web01,db01",
            "web01\n", "ünïcode"})
    void identityWithWildcardsOrSeparatorsIsRefused(String identity) {
        String problem = Destinations.identityProblem(identity);
        assertNotNull(problem);
        assertTrue(problem.contains("no wildcards"), problem);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> orch.node(identity));
        assertEquals(problem, e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"*", ">", "web.>", ".web01"})
    void registryRefusesTheIdentitiesThatNodeRefuses(String identity) {
        assertThrows(IllegalArgumentException.class, () -> orch.registry(identity));
    }

    @Test
    void identityOfMaximumLengthIsAcceptedAndOneMoreIsNot() {
        assertNull(Destinations.identityProblem("a".repeat(253)));
        assertNotNull(Destinations.identityProblem("a".repeat(254)));
    }
}
