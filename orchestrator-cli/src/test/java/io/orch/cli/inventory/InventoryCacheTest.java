package io.orch.cli.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InventoryCacheTest {
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final Duration MONTH = Duration.ofDays(30);
    private static final String BROKER = "ssl://broker:61617";

    @TempDir
    Path state;

    static KnownNode node(String identity, NodeState state, Instant at) {
        return new KnownNode(identity, state, at, "0.1.0", "boot-" + identity, at.minusSeconds(3600), 60);
    }

    private InventoryCache load() {
        return InventoryCache.load(state, "orch", BROKER, MONTH);
    }

    @Test
    void whatIsLearnedIsThereAfterASaveAndALoad() {
        InventoryCache cache = load();
        cache.learn(node("web01", NodeState.UP, NOW));
        cache.learn(node("web02", NodeState.STOPPED, NOW.minusSeconds(60)));
        assertNull(cache.save());

        InventoryCache again = load();
        assertEquals(cache.nodes(), again.nodes());
        assertEquals(NodeState.STOPPED, again.node("web02").orElseThrow().state());
    }

    @Test
    void aNewerAnnouncementReplacesAnOlderOneAndNeverTheOtherWayRound() {
        InventoryCache cache = load();
        cache.learn(node("web01", NodeState.UP, NOW));
        assertFalse(cache.learn(node("web01", NodeState.STOPPED, NOW.minusSeconds(1))));
        assertEquals(NodeState.UP, cache.node("web01").orElseThrow().state());
        assertTrue(cache.learn(node("web01", NodeState.STOPPED, NOW.plusSeconds(1))));
        assertEquals(NodeState.STOPPED, cache.node("web01").orElseThrow().state());
    }

    @Test
    void aNodeNotHeardOfForTheForgetPeriodIsDropped() {
        InventoryCache cache = load();
        cache.learn(node("old", NodeState.UP, NOW.minus(MONTH).minusSeconds(1)));
        cache.learn(node("recent", NodeState.UP, NOW.minus(MONTH).plusSeconds(1)));
        List<KnownNode> dropped = cache.expire(NOW);
        assertEquals(List.of("old"), dropped.stream().map(KnownNode::identity).toList());
        assertEquals(List.of("recent"), cache.nodes().stream().map(KnownNode::identity).toList());
    }

    @Test
    void aForgottenNodeStaysForgottenUntilItAnnouncesAgain() {
        InventoryCache cache = load();
        KnownNode last = node("gone", NodeState.UP, NOW.minusSeconds(600));
        cache.learn(last);
        assertEquals(last, cache.forget("gone", NOW).orElseThrow());
        assertNull(cache.save());

        InventoryCache again = load();
        assertTrue(again.node("gone").isEmpty());
        // The broker may still hold what it announced before: that does not bring it back.
        assertFalse(again.learn(last));
        assertTrue(again.node("gone").isEmpty());
        // A new announcement does.
        assertTrue(again.learn(node("gone", NodeState.UP, NOW.plusSeconds(1))));
        assertTrue(again.node("gone").isPresent());
    }

    @Test
    void forgettingANodeNeverKnownStillIgnoresItsOlderAnnouncements() {
        InventoryCache cache = load();
        assertTrue(cache.forget("web09", NOW).isEmpty());
        assertFalse(cache.learn(node("web09", NodeState.UP, NOW.minusSeconds(5))));
    }

    @Test
    void eachBrokerHasItsOwnRecordSoTwoSitesWithOneCollectiveNameDoNotMix() {
        InventoryCache prod = InventoryCache.load(state, "orch", "ssl://prod:61617", MONTH);
        prod.learn(node("web01", NodeState.UP, NOW));
        assertNull(prod.save());
        InventoryCache staging = InventoryCache.load(state, "orch", "ssl://staging:61617", MONTH);
        assertTrue(staging.isEmpty());
        assertNotEquals(prod.file(), staging.file());
    }

    @Test
    void aDamagedRecordIsAnEmptyOneAndTheNextSaveReplacesIt() throws Exception {
        InventoryCache cache = load();
        Files.createDirectories(cache.file().getParent());
        Files.writeString(cache.file(), "{not json");
        InventoryCache damaged = load();
        assertTrue(damaged.isEmpty());
        damaged.learn(node("web01", NodeState.UP, NOW));
        assertNull(damaged.save());
        assertEquals(1, load().nodes().size());
    }

    @Test
    void aBadEntryIsDroppedAndTheOthersKept() throws Exception {
        InventoryCache cache = load();
        Files.createDirectories(cache.file().getParent());
        Files.writeString(cache.file(), "{\"protocol\":\"orch.inventory-cache.v1\",\"nodes\":{"
                + "\"web01\":{\"state\":\"up\",\"announced_at\":\"2026-12-01T11:00:00Z\"},"
                + "\"web*\":{\"state\":\"up\",\"announced_at\":\"2026-12-01T11:00:00Z\"},"
                + "\"web02\":{\"state\":\"sleeping\",\"announced_at\":\"2026-12-01T11:00:00Z\"},"
                + "\"web03\":{\"state\":\"up\",\"announced_at\":\"yesterday\"}}}");
        assertEquals(List.of("web01"), load().nodes().stream().map(KnownNode::identity).toList());
    }

    @Test
    void anUnwritableFolderIsAWarningNotAFailure() throws Exception {
        Path file = state.resolve("not-a-dir");
        Files.writeString(file, "x");
        InventoryCache cache = InventoryCache.load(file, "orch", BROKER, MONTH);
        cache.learn(node("web01", NodeState.UP, NOW));
        assertNotNull(cache.save());
    }

    @Test
    void theRecordKeepsNoCredentialsOfTheBrokerUrl() throws Exception {
        InventoryCache cache = InventoryCache.load(state, "orch", "tcp://admin:secret@broker:61616", MONTH);
        cache.learn(node("web01", NodeState.UP, NOW));
        assertNull(cache.save());
        assertFalse(Files.readString(cache.file()).contains("secret"), Files.readString(cache.file()));
    }
}
