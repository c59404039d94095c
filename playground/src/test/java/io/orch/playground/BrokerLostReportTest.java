package io.orch.playground;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orch.cli.ExitCode;
import io.orch.playground.broker.EmbeddedBroker;
import io.orch.playground.lab.Lab;
import io.orch.playground.lab.LabSpec;
import io.orch.playground.lab.LabTiming;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.activemq.broker.Broker;
import org.apache.activemq.broker.BrokerFilter;
import org.apache.activemq.broker.BrokerPlugin;
import org.apache.activemq.broker.ConsumerBrokerExchange;
import org.apache.activemq.command.MessageAck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --json} prints its report also when the broker is lost during discovery, with who answered before. */
class BrokerLostReportTest {
    private static final int NODES = 5;

    @TempDir
    Path dir;

    @Test
    void jsonReportSaysWhoAnsweredBeforeTheBrokerWasLostDuringDiscoveryAndExitsThree() throws Exception {
        RepliesRead read = new RepliesRead();
        EmbeddedBroker broker = Cli.PKI.startBroker("127.0.0.1", 0, Clock.systemUTC(), read);
        try (Lab lab = Lab.start(new LabSpec(NODES, 0, 3, broker.url(), null, dir.resolve("lab"),
                new LabTiming(0, Duration.ofMillis(500)), 10, Cli.PKI))) {
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < NODES; i++) {
                expected.add(lab.spec().identity(i));
            }
            // A node the inventory knows and that never answers keeps discovery open until the broker goes.
            List<String> inventory = new ArrayList<>(expected);
            inventory.add("ghost-01");
            Path nodes = Files.write(dir.resolve("nodes.txt"), inventory);

            Cli.Running ping = Cli.start("ping", "--broker", broker.url(), "--nodes", nodes.toString(), "--json",
                    "--discovery-timeout", "5m");
            // Every lab node's reply has been read by the CLI (acknowledged), then the broker goes away.
            await().atMost(Duration.ofSeconds(60)).until(() -> read.acknowledged.get() >= NODES);
            broker.close();
            Cli.Result result = ping.result();

            assertEquals(ExitCode.BROKER_UNREACHABLE, result.exitCode(), result.toString());
            JsonNode report = new ObjectMapper().readTree(result.out());
            assertEquals("broker_lost", report.path("stop_reason").asText(), result.toString());
            assertEquals(ExitCode.BROKER_UNREACHABLE, report.path("exit_code").asInt(), result.toString());
            Map<String, JsonNode> byNode = new HashMap<>();
            report.path("nodes").forEach(n -> byNode.put(n.path("identity").asText(), n));
            for (String node : expected) {
                assertEquals("ok", byNode.get(node).path("status").asText(), result.toString());
            }
            assertEquals("no_response", byNode.get("ghost-01").path("status").asText(), result.toString());
            assertTrue(byNode.get("ghost-01").path("message").asText().startsWith("no answer before the broker was lost"),
                    result.toString());
            assertEquals(List.of("ghost-01"), List.of(report.path("no_response").get(0).asText()));
            assertTrue(result.err().contains("lost the broker"), result.toString());
        } finally {
            broker.close();
        }
    }

    /** Counts the replies a client has read from a temporary queue: its acknowledgements of them. */
    static final class RepliesRead implements BrokerPlugin {
        final AtomicInteger acknowledged = new AtomicInteger();

        @Override
        public Broker installPlugin(Broker next) {
            return new BrokerFilter(next) {
                @Override
                public void acknowledge(ConsumerBrokerExchange exchange, MessageAck ack) throws Exception {
                    if (ack.isStandardAck() && ack.getDestination() != null && ack.getDestination().isTemporary()) {
                        acknowledged.addAndGet(ack.getMessageCount());
                    }
                    super.acknowledge(exchange, ack);
                }
            };
        }
    }
}
