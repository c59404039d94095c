package io.orch.responder;

import static io.orch.responder.BusClient.eventually;
import static io.orch.responder.Fixture.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orch.protocol.bus.Destinations;
import io.orch.protocol.envelope.Action;
import io.orch.protocol.envelope.Codec;
import io.orch.protocol.envelope.Reply;
import io.orch.protocol.envelope.ReplyStatus;
import io.orch.protocol.envelope.Request;
import io.orch.responder.audit.FileAuditLog;
import io.orch.responder.bus.NodeEndpoint;
import io.orch.responder.config.ResponderConfig;
import io.orch.responder.config.ResponderWiring;
import io.orch.responder.executor.RebootExecutor;
import io.orch.responder.executor.RebootPlan;
import io.orch.responder.node.Responder;
import jakarta.jms.Connection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.activemq.broker.BrokerService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node whose audit lines go to a shared writer (the lab's): a ping is answered before its line is
 * written, and the line is written when the writer runs; a reboot's line is on disk before the reboot starts,
 * whatever the writer does.
 */
class SharedAuditWriterTest {
    private static final String IDENTITY = "audit02.test";
    private static final String TOPIC = "orch.node." + IDENTITY;

    @TempDir
    Path dir;

    private BrokerService broker;
    private Connection nodeConnection;
    private NodeEndpoint endpoint;
    private BusClient client;
    /** The writer: holds every task until the test runs it. */
    private final ConcurrentLinkedQueue<Runnable> held = new ConcurrentLinkedQueue<>();
    /** Whether the reboot's audit line was in the file when the reboot started. */
    private final List<Boolean> lineBeforeReboot = new CopyOnWriteArrayList<>();
    private volatile String rebootId;

    @BeforeEach
    void brokerAndNode() throws Exception {
        broker = BusClient.startBroker("shared-audit-test");
        String url = BusClient.url(broker);
        Path root = dir.resolve("root");
        write(root, "etc/os-release", "NAME=\"Debian GNU/Linux\"\nID=debian\nVERSION_ID=\"12\"\n");
        write(root, "proc/sys/kernel/osrelease", "6.1.0-10-amd64\n");
        write(root, "proc/sys/kernel/random/boot_id", "7d1f0c2a-3b4e-4f5a-8b6c-9d0e1f2a3b4c\n");
        write(root, "proc/uptime", "3600.25 7000.00\n");
        write(root, "run/reboot-required", "*** System restart required ***\n");
        ResponderConfig config = new ResponderConfig(IDENTITY, "orch", null,
                new ResponderConfig.Facts(root.toString(), List.of()), null,
                new ResponderConfig.Reboot("command", null, null, false, null, List.of(), 0, 0,
                        state().toString()), null);
        RebootExecutor recording = new RebootExecutor() {
            @Override
            public void reboot(RebootPlan plan) {
                try {
                    lineBeforeReboot.add(auditMentions(rebootId));
                } catch (IOException e) {
                    lineBeforeReboot.add(false);
                }
            }

            @Override
            public String describe(RebootPlan plan) {
                return "recorded by the test";
            }
        };
        nodeConnection = BusClient.factory(url).createConnection();
        nodeConnection.start();
        var security = TestTrust.shared().node(IDENTITY);
        endpoint = NodeEndpoint.open(nodeConnection, new Destinations("orch"), new Codec(), security.sealer(), null,
                held::add);
        Responder responder = ResponderWiring.responder(config, ResponderWiring.facts(config, Clock.systemUTC()),
                recording, Runnable::run, endpoint, Clock.systemUTC(), security);
        endpoint.serve(responder);
        client = BusClient.connect(url);
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        endpoint.close();
        nodeConnection.close();
        BusClient.stopAndCheck(broker);
    }

    private Path state() {
        return dir.resolve("state");
    }

    private boolean auditMentions(String requestId) throws IOException {
        Path file = state().resolve(FileAuditLog.FILE_NAME);
        return Files.exists(file) && Files.readAllLines(file).stream().anyMatch(l -> l.contains(requestId));
    }

    private static Request request(Action action, Map<String, Object> params) {
        return Request.create("orch", action, null, params, "tester", "junit", Instant.now(), Duration.ofSeconds(60));
    }

    @Test
    void aPingIsAnsweredFirstAndAuditedWhenTheWriterRuns() throws Exception {
        Request ping = request(Action.PING, Map.of());
        Reply pong = client.ask(TOPIC, ping);
        assertEquals(ReplyStatus.OK, pong.status(), pong.message());
        eventually().until(() -> !held.isEmpty());
        assertFalse(auditMentions(ping.id()), "the line waits for the writer");
        Runnable task;
        while ((task = held.poll()) != null) {
            task.run();
        }
        assertTrue(auditMentions(ping.id()), "the writer wrote the ping's line");
    }

    @Test
    void aRebootsLineIsWrittenBeforeTheRebootWhateverTheWriterDoes() throws Exception {
        Request reboot = request(Action.REBOOT, Map.of());
        rebootId = reboot.id();
        Reply scheduled = client.ask(TOPIC, reboot);
        assertEquals(ReplyStatus.SCHEDULED, scheduled.status(), scheduled.message());
        eventually().until(() -> !lineBeforeReboot.isEmpty());
        assertEquals(List.of(true), lineBeforeReboot);
        assertTrue(held.isEmpty(), "nothing of the reboot's was left to the writer");
    }
}
