package io.orch.playground;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orch.playground.broker.BrokerNetwork;
import io.orch.playground.lab.Lab;
import io.orch.playground.lab.LabNode;
import io.orch.playground.lab.LabSpec;
import io.orch.playground.lab.LabTiming;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * orch unchanged on a network of three brokers, as docs/network.md lays it out: the operator's CLI on the hub,
 * three lab nodes on each of two spokes (each lab's failover URL lists its own spoke first, then the other),
 * every broker TLS-only with the lab's certificates, the bridges logged in as brokers. Requests cross hub →
 * spoke, replies find the CLI's temporary queue across the bridge, events come back the same way.
 *
 * <p>One network serves the three tests, in order (the last stops a spoke for good); each test has labs of its
 * own (a node refuses a second reboot within {@code reboot.min_interval_s}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrokerNetworkEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NETWORK = "lab-net";
    private static final int PER_SPOKE = 3;

    /** Down for 2 s: long enough for a test to stop a spoke, or a bridge, while nodes are down. */
    private static final LabTiming TIMING = new LabTiming(0, Duration.ofSeconds(2));

    Path state;

    SchemaCheckedBroker hub;
    SchemaCheckedBroker spokeA;
    SchemaCheckedBroker spokeB;
    Lab labA;
    Lab labB;
    boolean spokeAStopped;

    @BeforeAll
    void network() throws Exception {
        hub = SchemaCheckedBroker.startMember(BrokerNetwork.hub(NETWORK), 0);
        List<URI> toHub = List.of(URI.create(hub.url()));
        spokeA = SchemaCheckedBroker.startMember(new BrokerNetwork(NETWORK, toHub), 0);
        spokeB = SchemaCheckedBroker.startMember(new BrokerNetwork(NETWORK, toHub), 0);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> spokeA.broker().bridgesUp() == 1 && spokeB.broker().bridgesUp() == 1);
    }

    @BeforeEach
    void labs(@TempDir Path state) throws Exception {
        this.state = state;
        labs();
    }

    @AfterEach
    void closeLabs() {
        for (Lab lab : new Lab[] {labA, labB}) {
            if (lab != null) {
                lab.close();
            }
        }
        labA = null;
        labB = null;
    }

    /** Nodes lab-0001..3 on spoke A, lab-0004..6 on spoke B, all pending; each can fail over to the other spoke. */
    private void labs() throws Exception {
        LabTiming timing = TIMING;
        String aFirst = "failover:(" + spokeA.url() + "," + spokeB.url() + ")?randomize=false";
        String bFirst = "failover:(" + spokeB.url() + "," + spokeA.url() + ")?randomize=false";
        labA = Lab.start(new LabSpec(PER_SPOKE, 1.0, 21, aFirst, null, state.resolve("a"), timing, 10, Cli.PKI, 0));
        labB = Lab.start(new LabSpec(PER_SPOKE, 1.0, 22, bFirst, null, state.resolve("b"), timing, 10, Cli.PKI,
                PER_SPOKE));
        // Demand crosses the bridges as advisories, a moment after the nodes subscribed: until every node is heard.
        AtomicReference<Cli.Result> last = new AtomicReference<>();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                last.set(Cli.run("discover", "--json", "--discovery-timeout", "1s", "--broker", hub.url()));
                return last.get().exitCode() == 0 && RebootEndToEndTest.identities(JSON.readTree(last.get().out()))
                        .size() == 2 * PER_SPOKE;
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("not every node discovered through the hub; last: " + last.get(), e);
        }
    }

    @AfterAll
    void stop() {
        if (spokeAStopped) {
            spokeB.close();
        } else {
            try {
                spokeA.close();
            } finally {
                spokeB.close();
            }
        }
        hub.close();
    }

    private List<LabNode> nodes() {
        List<LabNode> all = new ArrayList<>(labA.nodes());
        all.addAll(labB.nodes());
        return all;
    }

    private Map<String, Integer> reboots() {
        Map<String, Integer> counts = new HashMap<>();
        nodes().forEach(node -> counts.put(node.identity(), node.reboots()));
        return counts;
    }

    /** Every node went down exactly once more, and has a new boot id. */
    private void everyNodeRebootedOnce(Map<String, String> bootBefore, Map<String, Integer> rebootsBefore)
            throws IOException {
        for (LabNode node : nodes()) {
            assertEquals(rebootsBefore.get(node.identity()) + 1, node.reboots(), node.identity());
            assertNotEquals(bootBefore.get(node.identity()), node.bootId(), node.identity());
        }
    }

    private Map<String, String> bootIds() throws IOException {
        Map<String, String> ids = new HashMap<>();
        for (LabNode node : nodes()) {
            ids.put(node.identity(), node.bootId());
        }
        return ids;
    }

    @Test
    @Order(1)
    void theCliOnTheHubDiscoversNoopsAndRebootsInBatchesWithWaitNodesOnBothSpokes() throws Exception {
        TreeSet<String> everyone = new TreeSet<>(nodes().stream().map(LabNode::identity).toList());

        Cli.Result noop = Cli.run("reboot", "-F", "reboot_pending=true", "--noop", "--json", "--broker", hub.url());
        assertEquals(0, noop.exitCode(), noop::toString);
        JsonNode noops = JSON.readTree(noop.out());
        assertEquals(2 * PER_SPOKE, noops.get("summary").get("noop").asInt(), noop::toString);
        assertEquals(everyone, RebootEndToEndTest.identities(noops), noop::toString);
        nodes().forEach(node -> assertEquals(0, node.reboots(), node.identity()));

        Map<String, String> before = bootIds();
        Map<String, Integer> rebooted = reboots();
        Cli.Result run = Cli.run("reboot", "-F", "reboot_pending=true", "--batch", "2", "--wait", "--delay", "0",
                "--json", "--broker", hub.url());
        assertEquals(0, run.exitCode(), run::toString);
        JsonNode report = JSON.readTree(run.out());
        assertEquals(2 * PER_SPOKE, report.get("summary").get("rebooted").asInt(), run::toString);
        assertEquals(3, report.get("batches").size(), run::toString);
        for (JsonNode batch : report.get("batches")) {
            assertEquals("done", batch.get("outcome").asText(), run::toString);
        }
        for (JsonNode node : report.get("nodes")) {
            assertEquals("rebooted", node.get("status").asText(), node::toString);
            assertTrue(node.get("timings_ms").has("downtime"), "back through its rebooted event: " + node);
        }
        everyNodeRebootedOnce(before, rebooted);

        // A CLI on a spoke reaches the other spoke's nodes too: spoke, hub, spoke (networkTTL 2), and back.
        Cli.Result fromSpoke = Cli.run("ping", "--json", "--discovery-timeout", "5s", "--broker", spokeA.url());
        assertEquals(0, fromSpoke.exitCode(), fromSpoke::toString);
        assertEquals(everyone, RebootEndToEndTest.identities(JSON.readTree(fromSpoke.out())), fromSpoke::toString);
    }

    @Test
    @Order(3)
    void aSpokeStoppedMidRunItsNodesFailOverToTheOtherAndTheReportIsExact() throws Exception {
        // Spoke A is stopped while its first two nodes are down, and they come back on spoke B.
        Map<String, String> before = bootIds();
        Map<String, Integer> rebooted = reboots();
        Cli.Running run = Cli.start("reboot", "-F", "reboot_pending=true", "--batch", "2", "--wait", "--delay", "0",
                "--wait-timeout", "30s", "--json", "--broker", hub.url());
        LabNode first = labA.node("lab-0001");
        LabNode second = labA.node("lab-0002");
        await().atMost(Duration.ofSeconds(60)).until(() -> !first.up() && !second.up() || run.done());
        spokeA.stop();
        spokeAStopped = true;

        Cli.Result result = run.result();
        assertEquals(0, result.exitCode(), result::toString);
        JsonNode report = JSON.readTree(result.out());
        assertEquals(2 * PER_SPOKE, report.get("summary").get("rebooted").asInt(), result::toString);
        for (JsonNode node : report.get("nodes")) {
            assertEquals("rebooted", node.get("status").asText(), node::toString);
        }
        everyNodeRebootedOnce(before, rebooted);
        // Spoke A is gone for good: every node answers through spoke B.
        Cli.Result ping = Cli.run("ping", "--json", "--broker", hub.url());
        assertEquals(0, ping.exitCode(), ping::toString);
        assertEquals(new TreeSet<>(before.keySet()), RebootEndToEndTest.identities(JSON.readTree(ping.out())),
                ping::toString);
    }

    @Test
    @Order(2)
    void rebootedEventsPublishedWhileTheirSpokesBridgeIsDownAreMadeUpForByTheProbeAndTheReportIsExact()
            throws Exception {
        Map<String, String> before = bootIds();
        Map<String, Integer> rebooted = reboots();
        Cli.Running run = Cli.start("reboot", "-F", "reboot_pending=true", "--wait", "--delay", "0",
                "--wait-timeout", "8s", "--json", "--broker", hub.url());
        // Spoke B's nodes go down, its bridge to the hub goes down, they come back and say so to spoke B alone.
        await().atMost(Duration.ofSeconds(60)).until(() -> labB.nodes().stream().noneMatch(LabNode::up)
                || run.done());
        spokeB.broker().stopBridges();
        await().atMost(Duration.ofSeconds(30)).until(() -> labB.nodes().stream()
                .allMatch(n -> n.reboots() == rebooted.get(n.identity()) + 1));
        Thread.sleep(500); // their rebooted events published into spoke B, where nobody wants them
        spokeB.broker().startBridges();

        Cli.Result result = run.result();
        assertEquals(0, result.exitCode(), result::toString);
        JsonNode report = JSON.readTree(result.out());
        assertEquals(2 * PER_SPOKE, report.get("summary").get("rebooted").asInt(), result::toString);
        for (JsonNode node : report.get("nodes")) {
            assertEquals("rebooted", node.get("status").asText(), node::toString);
            boolean onB = labB.nodes().stream().anyMatch(n -> n.identity().equals(node.get("identity").asText()));
            // Spoke A's nodes were heard; spoke B's events were lost with the bridge, and the probe found them back.
            assertEquals(onB, node.get("message").asText().contains("its rebooted event was not seen"), node::toString);
        }
        everyNodeRebootedOnce(before, rebooted);
    }
}
