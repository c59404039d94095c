package io.orch.cli.inventory;

import static io.orch.cli.inventory.InventoryCacheTest.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InventoryTest {
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    @TempDir
    Path state;

    private final List<String> checked = new ArrayList<>();

    private InventoryCache cache() {
        return InventoryCache.load(state, "orch", "ssl://broker:61617", Duration.ofDays(30));
    }

    private Announced bus(KnownNode node, boolean genuine) {
        return new Announced() {
            @Override
            public KnownNode node() {
                return node;
            }

            @Override
            public String verify() {
                checked.add(node.identity());
                return genuine ? null : "signature does not verify";
            }
        };
    }

    @Test
    void upAndRebootingNodesAreExpectedAndStoppedOnesAreNot() {
        Inventory inventory = Inventory.of(cache(), List.of(bus(node("a", NodeState.UP, NOW), true),
                bus(node("b", NodeState.REBOOTING, NOW), true), bus(node("c", NodeState.STOPPED, NOW), true)), null,
                NOW);
        assertEquals(Set.of("a", "b"), inventory.expected());
        assertEquals(List.of("c"), inventory.stopped().stream().map(KnownNode::identity).toList());
    }

    @Test
    void theBusWinsWhenNewerAndTheRecordWhenTheBusIsOlder() {
        InventoryCache cache = cache();
        cache.learn(node("a", NodeState.UP, NOW.minusSeconds(60)));
        cache.learn(node("b", NodeState.UP, NOW.minusSeconds(60)));
        Inventory inventory = Inventory.of(cache, List.of(bus(node("a", NodeState.STOPPED, NOW), true),
                bus(node("b", NodeState.STOPPED, NOW.minusSeconds(120)), true)), null, NOW);
        assertEquals(NodeState.STOPPED, inventory.node("a").orElseThrow().state());
        assertEquals(NodeState.UP, inventory.node("b").orElseThrow().state());
    }

    @Test
    void aNodeTheBrokerForgotIsStillExpectedFromTheRecord() {
        InventoryCache cache = cache();
        cache.learn(node("killed", NodeState.UP, NOW.minusSeconds(600)));
        Inventory inventory = Inventory.of(cache, List.of(), null, NOW);
        assertEquals(Set.of("killed"), inventory.expected());
    }

    @Test
    void everyAnnouncementIsCheckedBeforeItReachesTheRecord() {
        Inventory inventory = Inventory.of(cache(), List.of(bus(node("a", NodeState.UP, NOW), true),
                bus(node("b", NodeState.UP, NOW), true), bus(node("c", NodeState.STOPPED, NOW), true)), null, NOW);
        inventory.settle(Set.of("a"), NOW);
        assertEquals(List.of("a", "b", "c"), checked);
        assertEquals(3, inventory.cache().nodes().size());
    }

    /**
     * The forger's "stopped" for a node that answers today must not reach the record: tomorrow, when the node
     * is silent, the forgery would no longer be news and nobody would check it again.
     */
    @Test
    void aForgedStoppedOfANodeThatAnsweredNeverReachesTheRecord() {
        InventoryCache cache = cache();
        Inventory today = Inventory.of(cache, List.of(bus(node("web01", NodeState.STOPPED, NOW.minusSeconds(5)),
                false)), null, NOW);
        assertEquals(List.of("web01"), today.settle(Set.of("web01"), NOW));
        assertEquals(NodeState.UP, cache.node("web01").orElseThrow().state());

        Inventory tomorrow = Inventory.of(cache, List.of(bus(node("web01", NodeState.STOPPED, NOW.minusSeconds(5)),
                false)), null, NOW.plusSeconds(86_400));
        assertEquals(Set.of("web01"), tomorrow.expected(), "the silent node is still waited for");
    }

    @Test
    void aForgedAnnouncementOfASilentNodeIsIgnoredAndTheRecordStands() {
        InventoryCache cache = cache();
        cache.learn(node("web01", NodeState.UP, NOW.minusSeconds(600)));
        // A forger says web01 stopped cleanly, so that nobody would wait for it.
        Inventory inventory = Inventory.of(cache, List.of(bus(node("web01", NodeState.STOPPED, NOW), false),
                bus(node("ghost", NodeState.UP, NOW), false)), null, NOW);
        assertEquals(Set.of("ghost"), inventory.expected());
        assertEquals(List.of("ghost", "web01"), inventory.settle(Set.of(), NOW));
        assertEquals(Set.of("web01"), inventory.expected());
        assertEquals(NodeState.UP, inventory.node("web01").orElseThrow().state());
        assertTrue(inventory.node("ghost").isEmpty());
    }

    @Test
    void anAnnouncementFromTheFutureCountsAsMadeNow() {
        // A clock far ahead (or a forger's date) must not make one announcement win over every later one.
        Inventory inventory = Inventory.of(cache(), List.of(bus(node("a", NodeState.UP, NOW.plusSeconds(86_400)),
                true)), null, NOW);
        inventory.settle(Set.of("a"), NOW);
        assertEquals(NOW, inventory.node("a").orElseThrow().announcedAt());
    }

    @Test
    void anAnnouncementOlderThanTheForgetPeriodIsNotLearned() {
        Inventory inventory = Inventory.of(cache(), List.of(bus(node("old", NodeState.UP, NOW.minus(Duration
                .ofDays(31))), true)), null, NOW);
        assertTrue(inventory.isEmpty());
    }

    @Test
    void nothingOnTheBusAndNothingRecordedIsNoInventory() {
        assertTrue(Inventory.of(cache(), List.of(), "no marker", NOW).isEmpty());
    }
}
