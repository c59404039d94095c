package io.orch.playground;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Session;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nodes named exactly ({@code -I web01}, {@code --nodes FILE}) are asked on their own topics: the rest of the
 * fleet never sees the request, discovery ends at the last named node's answer, and a silent one is no response.
 */
class DirectAddressingTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path state;

    /** Every request that crosses the broker, by the topic it was sent to, seen with a node's certificate. */
    private static List<String> listen(Connection watcher) throws JMSException {
        List<String> seen = new CopyOnWriteArrayList<>();
        Session session = watcher.createSession(false, Session.AUTO_ACKNOWLEDGE);
        for (String topic : List.of("orch.broadcast", "orch.node.>")) {
            session.createConsumer(session.createTopic(topic)).setMessageListener(m -> {
                try {
                    seen.add(String.valueOf(m.getJMSDestination()));
                } catch (JMSException e) {
                    seen.add("unreadable: " + e);
                }
            });
        }
        return seen;
    }

    @Test
    void statusOfOneNamedNodeReachesOnlyThatNodeAndEndsAtItsAnswer() throws Exception {
        try (LabFixture fixture = LabFixture.start(4, 0.0, 7, state.resolve("lab"))) {
            ActiveMQConnectionFactory factory = Cli.PKI.connectionFactory(fixture.url());
            try (Connection watcher = factory.createConnection()) {
                watcher.start();
                List<String> seen = listen(watcher);

                Cli.Result result = Cli.run("status", "-I", "lab-0002", "--json", "--broker", fixture.url());

                assertEquals(0, result.exitCode(), result::toString);
                JsonNode report = JSON.readTree(result.out());
                assertEquals(1, report.get("nodes").size(), result::toString);
                assertEquals("lab-0002", report.get("nodes").get(0).get("identity").asText());
                assertEquals(0, report.get("not_matched").asInt(), "nobody else was asked");
                // The discover and the status, both on lab-0002's own topic; nothing on the broadcast.
                await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() >= 2);
                assertEquals(List.of("topic://orch.node.lab-0002", "topic://orch.node.lab-0002"), seen);
                // A quiet window would keep discovery open a second past the last reply; here the answer ends it.
                JsonNode timings = report.get("timings_ms");
                long afterLastReply = timings.get("discovery").asLong() - timings.get("discovery_last_reply").asLong();
                assertTrue(afterLastReply < 1000, "discovery went on " + afterLastReply + " ms after the answer");
            }
        }
    }

    @Test
    void aPingOfNamedNodesStreamsEachAnswerAsANodeLineAndCountsTheMatched() throws Exception {
        try (LabFixture fixture = LabFixture.start(4, 0.0, 7, state.resolve("lab"))) {
            Cli.Result result = Cli.run("ping", "-I", "lab-0001", "-I", "lab-0002", "-I", "lab-0003",
                    "-F", "identity!=lab-0003", "--jsonl", "--broker", fixture.url());

            assertEquals(0, result.exitCode(), result::toString);
            List<JsonNode> lines = new java.util.ArrayList<>();
            for (String line : result.out().split("\n")) {
                lines.add(JSON.readTree(line));
            }
            List<String> types = lines.stream().map(l -> l.get("type").asText()).toList();
            assertEquals(List.of("discovered", "node", "node", "summary"), types, result::toString);
            assertEquals(2, lines.get(0).get("matched").asInt(), result::toString);
            assertEquals(1, lines.get(0).get("not_matched").asInt(), result::toString);
            assertEquals(List.of("lab-0001", "lab-0002"), lines.subList(1, 3).stream()
                    .map(l -> l.get("identity").asText()).sorted().toList(), result::toString);
            assertTrue(lines.subList(1, 3).stream().allMatch(l -> l.get("status").asText().equals("ok")),
                    result::toString);
        }
    }

    @Test
    void pingOfNamedNodesWithAnotherFilterPartIsEvaluatedByEachNamedNodeOnly() throws Exception {
        try (LabFixture fixture = LabFixture.start(4, 0.0, 7, state.resolve("lab"))) {
            ActiveMQConnectionFactory factory = Cli.PKI.connectionFactory(fixture.url());
            try (Connection watcher = factory.createConnection()) {
                watcher.start();
                List<String> seen = listen(watcher);

                Cli.Result result = Cli.run("ping", "-I", "lab-0001", "-I", "lab-0003", "-F", "identity!=lab-0003",
                        "--json", "--broker", fixture.url());

                assertEquals(0, result.exitCode(), result::toString);
                JsonNode report = JSON.readTree(result.out());
                assertEquals(1, report.get("nodes").size(), result::toString);
                assertEquals("lab-0001", report.get("nodes").get(0).get("identity").asText());
                assertEquals(1, report.get("not_matched").asInt(), "lab-0003 answered, not matched");
                await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() >= 2);
                assertEquals(List.of("topic://orch.node.lab-0001", "topic://orch.node.lab-0003"), seen.stream()
                        .sorted().toList());
            }
        }
    }

    @Test
    void aNamedNodeThatDoesNotAnswerIsNoResponseWithExitFour() throws Exception {
        try (LabFixture fixture = LabFixture.start(3, 0.0, 7, state.resolve("lab"))) {
            fixture.lab.node("lab-0003").disconnect();
            Path nodes = state.resolve("nodes.txt");
            Files.writeString(nodes, "lab-0001\nlab-0003\n");

            Cli.Result result = Cli.run("status", "--nodes", nodes.toString(), "--discovery-timeout", "2s",
                    "--json", "--broker", fixture.url());

            assertEquals(4, result.exitCode(), result::toString);
            JsonNode report = JSON.readTree(result.out());
            assertEquals("[\"lab-0003\"]", report.get("no_response").toString(), result::toString);
            assertEquals(1, report.get("summary").get("ok").asInt(), result::toString);
        }
    }

    @Test
    void aRegexAmongTheIdentitiesStillBroadcasts() throws Exception {
        try (LabFixture fixture = LabFixture.start(3, 0.0, 7, state.resolve("lab"))) {
            ActiveMQConnectionFactory factory = Cli.PKI.connectionFactory(fixture.url());
            try (Connection watcher = factory.createConnection()) {
                watcher.start();
                List<String> seen = listen(watcher);

                Cli.Result result = Cli.run("ping", "-I", "lab-0001", "-I", "/^lab-000[23]$/", "--json",
                        "--broker", fixture.url());

                assertEquals(0, result.exitCode(), result::toString);
                assertEquals(3, JSON.readTree(result.out()).get("nodes").size(), result::toString);
                await().atMost(Duration.ofSeconds(10)).until(() -> !seen.isEmpty());
                assertEquals(List.of("topic://orch.broadcast"), seen);
            }
        }
    }

    /** A regex -I beside --nodes broadcasts, yet only the listed nodes count: no node off the list is ever acted on. */
    @Test
    void aBroadcastForANodeListCountsOnlyTheListedNodes() throws Exception {
        try (LabFixture fixture = LabFixture.start(3, 0.0, 7, state.resolve("lab"))) {
            Path nodes = state.resolve("listed.txt");
            Files.writeString(nodes, "lab-0001\nlab-0002\n");

            Cli.Result result = Cli.run("reboot", "--noop", "--nodes", nodes.toString(), "-I", "/^lab-/", "--json",
                    "--broker", fixture.url());

            JsonNode report = JSON.readTree(result.out());
            List<String> reported = new java.util.ArrayList<>();
            report.get("nodes").forEach(n -> reported.add(n.get("identity").asText()));
            assertEquals(List.of("lab-0001", "lab-0002"), reported.stream().sorted().toList(), result::toString);
        }
    }
}
