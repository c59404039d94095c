package io.orch.responder;

import io.orch.responder.security.NodeSecurity;
import static io.orch.responder.BusClient.eventually;
import static io.orch.responder.Fixture.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orch.protocol.bus.Destinations;
import io.orch.protocol.envelope.Action;
import io.orch.protocol.envelope.Codec;
import io.orch.protocol.envelope.EventType;
import io.orch.protocol.envelope.Reply;
import io.orch.protocol.envelope.ReplyStatus;
import io.orch.protocol.envelope.Request;
import io.orch.responder.bus.NodeEndpoint;
import io.orch.responder.config.ResponderConfig;
import io.orch.responder.config.ResponderWiring;
import io.orch.responder.executor.RebootExecutor;
import io.orch.responder.executor.RebootPlan;
import io.orch.responder.node.Responder;
import io.orch.responder.replay.SeenRequests;
import jakarta.jms.Connection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.activemq.broker.BrokerService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A captured request replayed on a real broker, before and after the responder restarts on the
 * same state folder (as after a reboot): refused both times, with an audit line, and nothing
 * reboots, although by then a reboot is pending and a new request would get one.
 */
class ReplayAcrossRestartTest {
    private static final String BOOT_ID = "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f";
    private static final String NEW_BOOT_ID = "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a";

    private static BrokerService broker;
    private static String brokerUrl;

    @TempDir
    Path dir;

    private Path root;
    private Path state;
    private final String identity = "replay01.test";
    private final List<RebootPlan> plans = Collections.synchronizedList(new ArrayList<>());
    private final RebootExecutor executor = new RebootExecutor() {
        @Override
        public void reboot(RebootPlan plan) {
            plans.add(plan);
        }

        @Override
        public String describe(RebootPlan plan) {
            return "recorded by the test";
        }
    };
    private Connection nodeConnection;
    private NodeEndpoint endpoint;
    private BusClient client;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = BusClient.startBroker("replay-test");
        brokerUrl = BusClient.url(broker);
    }

    @AfterAll
    static void stopBroker() throws Exception {
        BusClient.stopAndCheck(broker);
    }

    @BeforeEach
    void fixtureAndClient() throws Exception {
        root = dir.resolve("root");
        state = dir.resolve("state");
        write(root, "etc/os-release", "NAME=\"Debian GNU/Linux\"\nID=debian\nVERSION_ID=\"12\"\n");
        write(root, "proc/sys/kernel/osrelease", "6.1.0-10-amd64\n");
        write(root, "proc/sys/kernel/random/boot_id", BOOT_ID + "\n");
        write(root, "proc/uptime", "3600.25 7000.00\n");
        client = BusClient.connect(brokerUrl);
    }

    @AfterEach
    void stopNodeAndClient() throws Exception {
        stopNode();
        client.close();
    }

    /** Starts the node as orch-responder does, on the fixture root and the state folder. */
    private void startNode() throws Exception {
        ResponderConfig config = new ResponderConfig(identity, "orch", null,
                new ResponderConfig.Facts(root.toString(), List.of()),
                new ResponderConfig.Pending(List.of("reboot_required")),
                new ResponderConfig.Reboot("command", null, null, null, null, List.of(), 0, 0, state.toString()),
                null);
        nodeConnection = BusClient.factory(brokerUrl).createConnection();
        nodeConnection.start();
        NodeSecurity security = TestTrust.shared().node(identity);
        endpoint = NodeEndpoint.open(nodeConnection, new Destinations("orch"), new Codec(), security.sealer());
        Responder responder = ResponderWiring.responder(config, ResponderWiring.facts(config, Clock.systemUTC()),
                executor, Runnable::run, endpoint, Clock.systemUTC(), security);
        endpoint.serve(responder);
    }

    private void stopNode() throws Exception {
        if (endpoint != null) {
            endpoint.close();
            endpoint = null;
        }
        if (nodeConnection != null) {
            nodeConnection.close();
            nodeConnection = null;
        }
    }

    private String nodeTopic() {
        return "orch.node." + identity;
    }

    /** Sends the same request (the same body) again and returns the node's answer to this copy. */
    private Reply replay(Request request) throws Exception {
        int before = replies(request.id()).size();
        client.send(nodeTopic(), request);
        List<Reply> all = eventually().until(() -> replies(request.id()), r -> r.size() == before + 1);
        return all.get(before);
    }

    private List<Reply> replies(String requestId) {
        return client.replies.stream().filter(r -> r.requestId().equals(requestId)).toList();
    }

    private List<JsonNode> auditLines(String requestId) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(state.resolve("audit.jsonl"))) {
            JsonNode node = json.readTree(line);
            if (requestId.equals(node.path("request_id").asText())) {
                lines.add(node);
            }
        }
        return lines;
    }

    @Test
    void replayedRebootIsDeniedBeforeAndAfterARestartAndNothingReboots() throws Exception {
        startNode();
        Request captured = Request.create("orch", Action.REBOOT, null, Map.of(), "tester", "junit", Instant.now(),
                Duration.ofSeconds(60));
        Reply first = client.ask(nodeTopic(), captured);
        assertEquals(ReplyStatus.NOT_PENDING, first.status(), first.message());
        // From now on the captured request would reboot the node, were it not a replay.
        write(root, "run/reboot-required", "*** System restart required ***\n");

        Reply before = replay(captured);

        stopNode();
        write(root, "proc/sys/kernel/random/boot_id", NEW_BOOT_ID + "\n"); // as after a reboot
        startNode();
        Reply after = replay(captured);

        for (Reply replayed : List.of(before, after)) {
            assertEquals(ReplyStatus.DENIED, replayed.status(), replayed.message());
            assertEquals("duplicate request id", replayed.message());
        }
        Reply fresh = client.ask(nodeTopic(), Request.create("orch", Action.REBOOT, null, Map.of("noop", true),
                "tester", "junit", Instant.now(), Duration.ofSeconds(60)));
        assertEquals(ReplyStatus.NOOP, fresh.status(), "a new request would reboot: " + fresh.message());
        assertEquals(List.of(), plans, "nothing rebooted");
        assertTrue(client.events(EventType.REBOOTING).isEmpty(), client.events.toString());

        List<JsonNode> audit = auditLines(captured.id());
        assertEquals(List.of("not_pending", "denied", "denied"),
                audit.stream().map(line -> line.path("decision").asText()).toList(), audit.toString());
        assertEquals("duplicate request id", audit.get(1).path("message").asText());
        assertEquals("duplicate request id", audit.get(2).path("message").asText());
        for (JsonNode line : audit) {
            // Each replay is credited to the verified signer, never to the claim in the body ("tester").
            assertEquals(TestTrust.OPERATOR, line.path("caller").asText(), line.toString());
            assertTrue(!line.has("claimed_caller"), line.toString());
        }
        Path seen = state.resolve(SeenRequests.FILE_NAME);
        assertTrue(Files.readString(seen).contains(" " + captured.id() + "\n"), Files.readString(seen));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(seen)));
    }
}
