package io.orch.responder.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orch.protocol.envelope.Action;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PolicyActionTest {

    @Test
    void wireNamesAreLowerCaseAndParseBack() {
        for (PolicyAction a : PolicyAction.values()) {
            assertEquals(a.name().toLowerCase(), a.wireName());
            assertEquals(Optional.of(a), PolicyAction.parse(a.wireName()));
        }
        assertEquals("force", PolicyAction.FORCE.wireName());
        assertEquals(Optional.empty(), PolicyAction.parse("REBOOT"));
        assertEquals(Optional.empty(), PolicyAction.parse("reboots"));
        assertEquals(Optional.empty(), PolicyAction.parse(null));
    }

    @Test
    void aForcedRebootIsItsOwnAction() {
        assertEquals(PolicyAction.REBOOT, PolicyAction.of(Action.REBOOT, false));
        assertEquals(PolicyAction.FORCE, PolicyAction.of(Action.REBOOT, true));
        assertEquals(PolicyAction.CANCEL, PolicyAction.of(Action.CANCEL, true));
        for (Action a : Action.values()) {
            if (a != Action.REBOOT) {
                assertEquals(a.wireName(), PolicyAction.of(a, false).wireName());
            }
        }
        assertTrue(PolicyAction.REBOOT.reboots());
        assertTrue(PolicyAction.FORCE.reboots());
        assertFalse(PolicyAction.CANCEL.reboots());
    }
}
