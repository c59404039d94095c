package io.orch.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orch.cli.ExitCode;
import io.orch.cli.inventory.InventoryCache;
import io.orch.cli.inventory.KnownNode;
import io.orch.cli.inventory.LastSeen;
import io.orch.cli.inventory.NodeState;
import io.orch.protocol.envelope.Action;
import io.orch.protocol.filter.FilterSpec;
import io.orch.protocol.payload.NoData;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who a run expects to answer when no --nodes list says: the known nodes, from the bus and this host's record. */
class KnownNodesDiscoveryTest {
    @TempDir
    Path state;

    private final FakeBus bus = new FakeBus();
    private final List<String> warnings = new ArrayList<>();
    private RunSettings.Targets targets = RunSettings.Targets.ALL;
    private FilterSpec filter = FilterSpec.EMPTY;

    private InventoryCache cache() {
        return InventoryCache.load(state, "orch", "tcp://fake:61616", Duration.ofDays(30));
    }

    private RunReport ping() throws Exception {
        RunSettings settings = new RunSettings(Action.PING, NoData.INSTANCE, false, false, filter,
                new RunSettings.Sender("orch", "tester", "jump1"), targets, Duration.ofSeconds(10),
                RunSettings.Batching.allAtOnce(Duration.ofSeconds(20)), Map.of());
        FleetRun run = new FleetRun(bus, settings, LastSeen.load(state, "orch"), cache(), new RunListener() {
            @Override
            public void warning(String why) {
                warnings.add(why);
            }
        }, FleetRun.Confirmation.NONE, bus.clock);
        return run.run(bus.clock.nanoTime());
    }

    private static NodeResult row(RunReport report, String identity) {
        return report.nodes().stream().filter(n -> n.identity().equals(identity)).findFirst().orElseThrow();
    }

    @Test
    void aNodeThatStoppedCleanlyIsNotExpectedAndIsNamedInAWarning() throws Exception {
        bus.announce("a", NodeState.UP, 10).announce("b", NodeState.UP, 10).announce("c", NodeState.STOPPED, 30);
        bus.node("a");
        bus.node("b");

        RunReport report = ping();

        assertEquals(ExitCode.OK, report.exitCode(), report::summaryLine);
        assertEquals(List.of("a", "b"), report.nodes().stream().map(NodeResult::identity).toList());
        assertTrue(warnings.contains("1 known node(s) stopped cleanly and were not asked: c"), warnings::toString);
        assertEquals(new InventorySummary(InventorySummary.REGISTRY, 3, 2, List.of("c"), null), report.inventory());
    }

    @Test
    void aKnownNodeThatDoesNotAnswerIsNoResponseWithItsLastAnnouncement() throws Exception {
        bus.announce("a", NodeState.UP, 10).announce("killed", NodeState.UP, 300);
        bus.node("a");
        String at = bus.clock.now().minusSeconds(300).toString();

        RunReport report = ping();

        assertEquals(ExitCode.NO_RESPONSE, report.exitCode(), report::summaryLine);
        NodeResult killed = row(report, "killed");
        assertEquals(NodeResult.NO_RESPONSE, killed.status());
        assertEquals(at, killed.lastAnnounced());
        // Discovery waited its 10 s for it: announced 5 minutes and 10 seconds before the row was written.
        assertTrue(killed.message().contains("last announced up at " + at + " (5m ago)"), killed::message);
        // Every announcement is checked before it reaches this host's record, a's too.
        assertEquals(List.of("a", "killed"), bus.verified);
    }

    @Test
    void aNodeTheBrokerNoLongerHoldsIsStillExpectedFromThisHostsRecord() throws Exception {
        // An earlier run learned both; then the broker restarted, and "killed" died while it was down.
        bus.announce("a", NodeState.UP, 10).announce("killed", NodeState.UP, 10);
        bus.node("a");
        bus.node("killed");
        assertEquals(ExitCode.OK, ping().exitCode());
        bus.announced.removeIf(node -> node.identity().equals("killed"));
        bus.node("killed").answersDiscovery = false;

        RunReport report = ping();

        assertEquals(ExitCode.NO_RESPONSE, report.exitCode(), report::summaryLine);
        assertEquals(List.of("killed"), report.noResponse());
    }

    @Test
    void aNewNodeIsKnownFromItsFirstAnnouncement() throws Exception {
        bus.announce("a", NodeState.UP, 10);
        bus.node("a");
        assertEquals(1, ping().inventory().expected());
        bus.announce("new", NodeState.UP, 1);
        bus.node("new");

        RunReport report = ping();

        assertEquals(2, report.inventory().expected());
        assertEquals(ExitCode.OK, report.exitCode(), report::summaryLine);
        assertEquals(Set.of("a", "new"), Set.copyOf(cache().nodes().stream().map(KnownNode::identity).toList()));
    }

    @Test
    void aForgedStoppedAnnouncementCannotHideASilentNode() throws Exception {
        bus.announce("web01", NodeState.UP, 600);
        bus.node("web01");
        assertEquals(ExitCode.OK, ping().exitCode());
        bus.node("web01").answersDiscovery = false;
        bus.announce("web01", NodeState.STOPPED, 0);
        bus.forged.add("web01");

        RunReport report = ping();

        assertEquals(List.of("web01"), report.noResponse());
        assertEquals("announcement", report.unverified().get(0).kind());
        assertEquals(NodeState.UP, cache().node("web01").orElseThrow().state());
    }

    @Test
    void withNoInventoryAtAllTheReportSaysMissingNodesCannotBeKnown() throws Exception {
        bus.node("a");

        RunReport report = ping();

        assertEquals(ExitCode.OK, report.exitCode());
        assertEquals(InventorySummary.none(), report.inventory());
        assertTrue(report.inventory().note().startsWith("no inventory: nodes that did not answer cannot be listed"));
    }

    @Test
    void aBrokerThatGivesNoAnnouncementsLeavesThisHostsRecordAndSaysSo() throws Exception {
        bus.announce("a", NodeState.UP, 10).announce("b", NodeState.UP, 10);
        bus.node("a");
        bus.node("b");
        assertEquals(ExitCode.OK, ping().exitCode());
        bus.announced.clear();
        bus.registryNote = "the broker did not return this host's marker";
        warnings.clear();

        RunReport report = ping();

        assertEquals(InventorySummary.RECORD, report.inventory().source());
        assertEquals(2, report.inventory().expected());
        assertTrue(warnings.contains("the broker did not return this host's marker"), warnings::toString);
    }

    @Test
    void aNodesFileWinsAndTheRegistryIsNotRead() throws Exception {
        bus.announce("a", NodeState.UP, 10).announce("b", NodeState.UP, 10);
        bus.node("a");
        targets = new RunSettings.Targets(Set.of("a"), Set.of(), null, null, null);

        RunReport report = ping();

        assertEquals(0, bus.registryReads);
        assertEquals(InventorySummary.NODES_FILE, report.inventory().source());
        assertEquals(ExitCode.OK, report.exitCode(), report::summaryLine);
    }

    @Test
    void anExcludedKnownNodeIsNotWaitedFor() throws Exception {
        bus.announce("a", NodeState.UP, 10).announce("b", NodeState.UP, 10);
        bus.node("a");
        targets = new RunSettings.Targets(Set.of(), Set.of("b"), "skip.txt", null, null);

        RunReport report = ping();

        assertEquals(ExitCode.OK, report.exitCode(), report::summaryLine);
        assertEquals(1, report.inventory().expected());
        assertNull(report.inventory().note());
    }

    /** Only the node can judge -F, but the CLI can judge -I: a known node no /regex/ matches is not waited for. */
    @Test
    void aKnownNodeThatNoIdentityRegexMatchesIsNotWaitedFor() throws Exception {
        filter = new FilterSpec(List.of(), List.of("/^web/"), null);
        bus.announce("web01", NodeState.UP, 10).announce("db01", NodeState.UP, 10);
        bus.node("web01");

        RunReport report = ping();

        assertEquals(ExitCode.OK, report.exitCode(), report::summaryLine);
        assertEquals(List.of("web01"), report.nodes().stream().map(NodeResult::identity).toList());
    }
}
