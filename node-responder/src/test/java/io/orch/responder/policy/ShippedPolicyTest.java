package io.orch.responder.policy;

import static io.orch.responder.policy.Policies.NO_FACTS;
import static io.orch.responder.policy.Policies.at;
import static io.orch.responder.policy.Policies.facts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** deploy/config/policy.yaml, the commented example a site starts from, loads and means what it says. */
class ShippedPolicyTest {

    static final Path SHIPPED = Path.of("../deploy/config/policy.yaml");
    static final Instant SATURDAY_3AM = at("2025-06-07T03:00", "Europe/Berlin");
    static final Instant FRIDAY_NOON = at("2025-06-06T12:00", "Europe/Berlin");

    @Test
    void itLoadsWithoutWarnings() throws Exception {
        Policy p = Policy.load(SHIPPED);
        List<String> warnings = p.warnings().stream().filter(w -> !w.contains("may be changed by others")).toList();
        assertEquals(List.of(), warnings);
        assertEquals("Sat,Sun 02:00+4h Europe/Berlin", p.maintenance(FRIDAY_NOON).windows());
        assertEquals("closed, opens Sat 02:00 Europe/Berlin, in 14h", p.maintenance(FRIDAY_NOON).summary());
    }

    @Test
    void operatorsRebootInsideTheWindowOnly() throws Exception {
        Policy p = Policy.load(SHIPPED);
        for (String operator : List.of("alice", "bob", "oncall-dave")) {
            assertTrue(p.decide(operator, PolicyAction.REBOOT, NO_FACTS, SATURDAY_3AM).allowed(), operator);
            assertTrue(p.decide(operator, PolicyAction.CANCEL, NO_FACTS, FRIDAY_NOON).allowed(), operator);
            assertEquals("outside maintenance window (opens Sat 02:00 Europe/Berlin, in 14h)",
                    p.decide(operator, PolicyAction.REBOOT, NO_FACTS, FRIDAY_NOON).reason());
            assertFalse(p.decide(operator, PolicyAction.FORCE, NO_FACTS, SATURDAY_3AM).allowed(), operator);
        }
    }

    @Test
    void theOnCallPersonForcesAnyTimeButNotOnProductionDatabases() throws Exception {
        Policy p = Policy.load(SHIPPED);
        assertTrue(p.decide("carol", PolicyAction.FORCE, facts("role", "web", "env", "prod"), FRIDAY_NOON).allowed());
        assertFalse(p.decide("carol", PolicyAction.FORCE, facts("role", "db", "env", "prod"), FRIDAY_NOON).allowed());
    }

    @Test
    void nodesAndStrangersOnlyLook() throws Exception {
        Policy p = Policy.load(SHIPPED);
        for (String caller : List.of("web01.example.com", "mallory")) {
            assertTrue(p.decide(caller, PolicyAction.STATUS, NO_FACTS, SATURDAY_3AM).allowed());
            for (PolicyAction a : List.of(PolicyAction.REBOOT, PolicyAction.FORCE, PolicyAction.CANCEL)) {
                assertFalse(p.decide(caller, a, NO_FACTS, SATURDAY_3AM).allowed(), caller + " " + a);
            }
        }
    }
}
