package io.orch.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DiscoveryTest {
    private static final Duration INITIAL = Duration.ofSeconds(2);
    private static final Duration QUIET = Duration.ofSeconds(1);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final long S = 1_000_000_000L;

    @Test
    void aCompleteListEndsAtItsLastAnswer() {
        Discovery d = new Discovery(Set.of("a"), Set.of(), Set.of(), false, INITIAL, QUIET, TIMEOUT);
        assertFalse(d.complete(false));
        assertTrue(d.complete(true));
        assertEquals(10 * S, d.deadlineNanos(0, S / 10, true, false), "a silent node is waited for to the end");
    }

    /** The broker's announcements did not all come: nodes not on the list may still answer, after the known ones. */
    @Test
    void aListThatMayBeShortAlsoWaitsForAQuietSpell() {
        Discovery d = new Discovery(Set.of("a"), Set.of(), Set.of(), true, INITIAL, QUIET, TIMEOUT);
        assertFalse(d.complete(true));
        assertEquals(10 * S, d.deadlineNanos(0, S / 10, true, false));
        assertEquals(2 * S, d.deadlineNanos(0, S / 10, true, true));
        assertEquals(4 * S, d.deadlineNanos(0, 3 * S, true, true));
    }

    @Test
    void withNoListAQuietSpellEndsIt() {
        Discovery d = new Discovery(Set.of(), INITIAL, QUIET, TIMEOUT);
        assertFalse(d.complete(true));
        assertEquals(2 * S, d.deadlineNanos(0, 0, false));
        assertEquals(10 * S, d.deadlineNanos(0, 9_500_000_000L, true));
    }

    @Test
    void onlyTheCountedNodesRepliesCountWhenItNamesAny() {
        assertTrue(new Discovery(Set.of(), INITIAL, QUIET, TIMEOUT).counts("x"));
        Discovery named = new Discovery(Set.of("a"), Set.of(), Set.of("a", "b"), false, INITIAL, QUIET, TIMEOUT);
        assertTrue(named.counts("b"));
        assertFalse(named.counts("x"));
    }
}
