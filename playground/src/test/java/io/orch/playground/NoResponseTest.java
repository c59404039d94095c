package io.orch.playground;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.jms.Connection;
import jakarta.jms.Session;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NoResponseTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path state;

    @Test
    void nodeThatStopsAnsweringAfterDiscoveryIsListedAsNoResponseWithExitFour() throws Exception {
        // Without an inventory, so that discovery waits its quiet second (with one, a --noop goes out the
        // moment the six known nodes answered, before lab-0004 has dropped off).
        try (LabFixture fixture = LabFixture.start(6, 1.0, 3, state).withoutInventory()) {
            // A node's certificate: on this broker only nodes may read the broadcast.
            ActiveMQConnectionFactory factory = Cli.PKI.connectionFactory(fixture.url());
            ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
            try (Connection watcher = factory.createConnection()) {
                watcher.start();
                Session session = watcher.createSession(false, Session.AUTO_ACKNOWLEDGE);
                // When discovery goes out, lab-0004 answers it and then drops off the bus, well inside the
                // quiet second the CLI waits before it sends the reboot to each matched node.
                session.createConsumer(session.createTopic("orch.broadcast")).setMessageListener(m ->
                        later.schedule(() -> fixture.lab.node("lab-0004").disconnect(), 300, TimeUnit.MILLISECONDS));
                Cli.Result result = Cli.run("reboot", "-F", "reboot_pending=true", "--noop", "--json",
                        "--timeout", "3s", "--broker", fixture.url());
                assertEquals(4, result.exitCode(), result::toString);
                JsonNode report = JSON.readTree(result.out());
                assertEquals("[\"lab-0004\"]", report.get("no_response").toString(), result::toString);
                assertEquals(5, report.get("summary").get("noop").asInt());
                assertEquals(1, report.get("summary").get("no_response").asInt());
            } finally {
                later.shutdownNow();
            }
        }
    }

    @Test
    void inventoryNodeThatNeverAnswersIsListedInTheTableAndSummary() throws Exception {
        try (LabFixture fixture = LabFixture.start(3, 0.0, 5, state.resolve("lab"))) {
            Path nodes = state.resolve("nodes.txt");
            Files.writeString(nodes, "# inventory\nlab-0001\nlab-0002\nlab-0003\nlab-0099\n");
            Cli.Result result = Cli.run("ping", "--nodes", nodes.toString(), "--discovery-timeout", "2s",
                    "--broker", fixture.url());
            assertEquals(4, result.exitCode(), result::toString);
            assertTrue(result.out().contains("lab-0099  no response"), result::toString);
            assertTrue(result.out().contains("3 ok, 0 failed, 1 no response: lab-0099"), result::toString);
        }
    }
}
