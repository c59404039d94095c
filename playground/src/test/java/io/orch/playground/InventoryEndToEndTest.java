package io.orch.playground;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inventory of issue 11, end to end on a real broker, a lab and a real responder process: a node that
 * stopped cleanly is not expected; one dropped off the bus or killed ({@code SIGKILL}) is {@code no response}
 * with its last announcement; a new node is picked up by the next run, with nothing restarted.
 */
class InventoryEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aStoppedNodeIsNotExpectedADroppedOneIsNoResponseAndANewOneIsPickedUp() throws Exception {
        try (LabFixture fixture = LabFixture.start(4, 0.0, 11, dir.resolve("lab"))) {
            List<ResponderProcess> processes = new ArrayList<>();
            // Known without a file: the lab's four, all up and answering.
            JsonNode first = awaitPing(fixture.url(), processes, report -> report.path("exit_code").asInt() == 0
                    && report.at("/inventory/expected").asInt() == 4);
            assertEquals("registry", first.at("/inventory/source").asText(), first::toString);

            fixture.lab.node("lab-0001").stop(); // a clean stop: it says so
            fixture.lab.node("lab-0002").disconnect(); // its network dies: not a word
            Instant droppedAt = Instant.now();
            Cli.Result inventory = awaitInventory(fixture.url(), processes, "lab-0001", "stopped");

            Cli.Result ping = Cli.run("ping", "--json", "--discovery-timeout", "5s", "--broker", fixture.url());
            assertEquals(4, ping.exitCode(), ping::toString);
            JsonNode report = JSON.readTree(ping.out());
            assertEquals("[\"lab-0002\"]", report.get("no_response").toString(), ping::toString);
            assertEquals("[\"lab-0001\"]", report.at("/inventory/stopped").toString(), ping::toString);
            assertEquals(3, report.at("/inventory/expected").asInt(), ping::toString);
            assertEquals(2, report.at("/summary/ok").asInt(), ping::toString);
            JsonNode row = node(report, "lab-0002");
            Instant lastAnnounced = Instant.parse(row.get("last_announced").asText());
            assertTrue(!lastAnnounced.isAfter(droppedAt), row::toString);
            assertTrue(row.get("message").asText().contains("last announced up at " + lastAnnounced), row::toString);
            assertTrue(ping.err().contains("1 known node(s) stopped cleanly and were not asked: lab-0001"),
                    ping::toString);
            assertTrue(inventory.out().lines().anyMatch(line -> line.matches("lab-0002 +up .*")),
                    inventory::toString);

            // A node started now is expected by the next run: its announcement is all it takes, nothing restarts.
            try (ResponderProcess fresh = ResponderProcess.start("node-new", fixture.url(), dir, false)) {
                processes.add(fresh);
                JsonNode later = awaitPing(fixture.url(), processes, r -> r.at("/inventory/expected").asInt() == 4
                        && r.at("/summary/ok").asInt() == 3);
                assertEquals("ok", node(later, "node-new").get("status").asText(), later::toString);
                assertEquals("[\"lab-0002\"]", later.get("no_response").toString(), later::toString);

                // Killed outright, it too is no response, with its last announcement.
                fresh.kill();
                Cli.Result afterKill = Cli.run("ping", "--json", "--discovery-timeout", "5s", "--broker",
                        fixture.url());
                JsonNode killed = JSON.readTree(afterKill.out());
                assertEquals("[\"lab-0002\",\"node-new\"]", killed.get("no_response").toString(),
                        afterKill::toString);
                assertTrue(node(killed, "node-new").has("last_announced"), afterKill::toString);
            }
        }
    }

    private static JsonNode node(JsonNode report, String identity) {
        for (JsonNode node : report.get("nodes")) {
            if (node.get("identity").asText().equals(identity)) {
                return node;
            }
        }
        throw new AssertionError(identity + " not in " + report);
    }

    /** Pings until the report satisfies {@code done} (responder JVMs take a while to start on a busy machine). */
    private static JsonNode awaitPing(String url, List<ResponderProcess> processes, Predicate<JsonNode> done) {
        AtomicReference<Cli.Result> last = new AtomicReference<>();
        AtomicReference<JsonNode> report = new AtomicReference<>();
        try {
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).until(() -> {
                last.set(Cli.run("ping", "--json", "--discovery-timeout", "5s", "--broker", url));
                report.set(JSON.readTree(last.get().out()));
                return done.test(report.get());
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(why("ping never got there; last: " + last.get(), processes), e);
        }
        return report.get();
    }

    private static Cli.Result awaitInventory(String url, List<ResponderProcess> processes, String node, String state) {
        AtomicReference<Cli.Result> last = new AtomicReference<>();
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
                last.set(Cli.run("inventory", "--broker", url));
                return last.get().out().lines().anyMatch(line -> line.startsWith(node + " ")
                        && line.substring(node.length()).trim().startsWith(state + " "));
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(why("orch inventory never showed " + node + " " + state + "; last: "
                    + last.get(), processes), e);
        }
        return last.get();
    }

    private static String why(String what, List<ResponderProcess> processes) {
        StringBuilder why = new StringBuilder(what);
        for (ResponderProcess p : processes) {
            why.append("\n---------- ").append(p.identity()).append('\n').append(p.log());
        }
        return why.toString();
    }
}
