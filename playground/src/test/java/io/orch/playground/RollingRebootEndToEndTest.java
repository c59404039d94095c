package io.orch.playground;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orch.playground.lab.LabNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rolling reboots against a real broker and a lab: batches, waiting for nodes to come back, stopping. */
class RollingRebootEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path state;

    @Test
    void thirtyPendingNodesInBatchesOfTenGoOneBatchAfterTheOther() throws Exception {
        try (LabFixture fixture = LabFixture.start(30, 1.0, 11, state)) {
            Map<String, String> bootBefore = new HashMap<>();
            for (LabNode node : fixture.lab.nodes()) {
                bootBefore.put(node.identity(), node.bootId());
            }
            Cli.Result run = Cli.run("reboot", "-F", "reboot_pending=true", "--batch", "10", "--wait", "--delay", "0",
                    "--json", "--broker", fixture.url());
            assertEquals(0, run.exitCode(), run::toString);
            JsonNode report = JSON.readTree(run.out());
            assertEquals(30, report.get("summary").get("rebooted").asInt(), run::toString);

            JsonNode batches = report.get("batches");
            assertEquals(3, batches.size(), run::toString);
            Map<String, Integer> batchOf = new HashMap<>();
            Set<String> requestIds = new HashSet<>();
            for (JsonNode batch : batches) {
                assertEquals(10, batch.get("nodes").size());
                assertEquals("done", batch.get("outcome").asText());
                requestIds.add(batch.get("request_id").asText());
                batch.get("nodes").forEach(n -> batchOf.put(n.asText(), batch.get("number").asInt()));
            }
            assertEquals(3, requestIds.size(), "one request per batch");
            assertEquals(List.of(requestIds.size()), List.of(report.get("request_ids").get("reboot").size()));

            // When each node was back, in run time, by batch.
            Map<Integer, List<Long>> backAt = new HashMap<>();
            for (JsonNode node : report.get("nodes")) {
                String id = node.get("identity").asText();
                assertEquals("rebooted", node.get("status").asText(), node::toString);
                int batch = node.get("batch").asInt();
                assertEquals(batchOf.get(id), batch, id);
                JsonNode timings = node.get("timings_ms");
                assertTrue(timings.get("reply").asLong() >= 0, node::toString);
                assertTrue(timings.get("back").asLong() >= timings.get("reply").asLong(), node::toString);
                assertTrue(timings.has("downtime"), node::toString);
                long started = batches.get(batch - 1).get("started_ms").asLong();
                backAt.computeIfAbsent(batch, b -> new ArrayList<>()).add(started + timings.get("back").asLong());
            }
            for (int b = 2; b <= 3; b++) {
                long nextStarted = batches.get(b - 1).get("started_ms").asLong();
                long previousLastBack = backAt.get(b - 1).stream().mapToLong(Long::longValue).max().orElseThrow();
                assertTrue(nextStarted >= previousLastBack, "batch " + b + " started at " + nextStarted
                        + " before batch " + (b - 1) + " was back at " + previousLastBack);
                assertEquals(nextStarted - batches.get(b - 2).get("last_back_ms").asLong(),
                        batches.get(b - 1).get("since_previous_back_ms").asLong());
            }

            // The lab's own truth: every node went down exactly once and has a new boot id.
            for (LabNode node : fixture.lab.nodes()) {
                assertEquals(1, node.reboots(), node.identity());
                assertNotEquals(bootBefore.get(node.identity()), node.bootId(), node.identity());
            }
            // Batches are taken in identity order, so the lab's audit logs agree on who went first.
            assertEquals(1, batchOf.get(fixture.lab.spec().identity(0)));
            assertEquals(3, batchOf.get(fixture.lab.spec().identity(29)));
        }
    }

    @Test
    void aNodeThatNeverComesBackStopsTheRunWithMaxFailures() throws Exception {
        try (LabFixture fixture = LabFixture.start(30, 1.0, 12, state)) {
            String hung = fixture.lab.spec().identity(3); // in the first batch
            fixture.lab.node(hung).staysDownAfterReboot();
            Cli.Result run = Cli.run("reboot", "-F", "reboot_pending=true", "--batch", "10", "--wait", "--delay", "0",
                    "--wait-timeout", "4s", "--timeout", "2s", "--max-failures", "1", "--json",
                    "--broker", fixture.url());
            assertEquals(5, run.exitCode(), run::toString);
            JsonNode report = JSON.readTree(run.out());
            assertEquals("max_failures", report.get("stop_reason").asText(), run::toString);
            assertEquals(1, report.get("batches").size(), run::toString);
            assertEquals("timed_out", report.get("batches").get(0).get("outcome").asText());
            assertEquals(List.of(hung), texts(report.get("not_back")), run::toString);
            assertEquals(9, report.get("summary").get("rebooted").asInt(), run::toString);
            assertEquals(20, report.get("not_started").size(), run::toString);
            for (JsonNode node : report.get("nodes")) {
                if (node.get("status").asText().equals("not_started")) {
                    assertTrue(node.get("batch").isNull(), node::toString);
                    assertEquals(0, fixture.lab.node(node.get("identity").asText()).reboots(), node::toString);
                }
            }
            // With the lab as inventory, the hung node is missing by name, with when it was last seen.
            Path inventory = state.resolve("nodes.txt");
            Files.write(inventory, fixture.lab.nodes().stream().map(LabNode::identity).toList());
            Cli.Result noop = Cli.run("reboot", "-F", "reboot_pending=true", "--noop", "--nodes", inventory.toString(),
                    "--discovery-timeout", "2s", "--json", "--broker", fixture.url());
            assertEquals(4, noop.exitCode(), noop::toString);
            JsonNode missing = JSON.readTree(noop.out());
            assertEquals(List.of(hung), texts(missing.get("no_response")), noop::toString);
            for (JsonNode node : missing.get("nodes")) {
                if (node.get("identity").asText().equals(hung)) {
                    assertTrue(node.get("message").asText().contains("last seen"), node::toString);
                    java.time.Instant.parse(node.get("last_seen").asText());
                }
            }
        }
    }

    @Test
    void withoutMaxFailuresALateNodeIsReportedNotBackWithExitCode4() throws Exception {
        try (LabFixture fixture = LabFixture.start(4, 1.0, 13, state)) {
            String hung = fixture.lab.spec().identity(1);
            fixture.lab.node(hung).staysDownAfterReboot();
            Cli.Result run = Cli.run("reboot", "-F", "reboot_pending=true", "--batch", "2", "--wait", "--delay", "0",
                    "--wait-timeout", "3s", "--timeout", "2s", "--broker", fixture.url());
            assertEquals(4, run.exitCode(), run::toString);
            assertTrue(run.out().contains("3 rebooted"), run::toString);
            assertTrue(run.out().contains("1 not back") && run.out().contains(": " + hung + "\n"), run::toString);
            assertTrue(run.out().contains("BATCH"), run::toString);
        }
    }

    @Test
    void aNodeBackAfterItsBatchGaveUpStaysNotBackButTheReportSaysWhenItReturned() throws Exception {
        // Down for 3 s, but each batch waits only 2 s: the first batch's nodes return during the second batch.
        try (LabFixture fixture = LabFixture.start(4, 1.0, 17, state,
                new io.orch.playground.lab.LabTiming(0, Duration.ofSeconds(3)))) {
            Cli.Result run = Cli.run("reboot", "-F", "reboot_pending=true", "--batch", "2", "--wait", "--delay", "0",
                    "--wait-timeout", "2s", "--timeout", "1s", "--json", "--broker", fixture.url());
            assertEquals(4, run.exitCode(), run::toString);
            JsonNode report = JSON.readTree(run.out());
            for (JsonNode node : report.get("nodes")) {
                assertEquals("not_back", node.get("status").asText(), node::toString);
                if (node.get("batch").asInt() == 1) {
                    assertTrue(node.get("message").asText().contains("came back later"), node::toString);
                }
            }
        }
    }

    @Test
    void aNodeWhoseRebootedEventIsLostIsFoundBackByItsNewBootIdThoughItNoLongerMatches() throws Exception {
        try (LabFixture fixture = LabFixture.start(4, 1.0, 18, state)) {
            String quiet = fixture.lab.spec().identity(0);
            fixture.lab.node(quiet).losesRebootedEvents();
            // Back, it no longer matches reboot_pending=true: the probe must ask it by name, without the filter.
            Cli.Result run = Cli.run("reboot", "-F", "reboot_pending=true", "--wait", "--delay", "0",
                    "--wait-timeout", "3s", "--json", "--broker", fixture.url());
            assertEquals(0, run.exitCode(), run::toString);
            JsonNode report = JSON.readTree(run.out());
            assertEquals(4, report.get("summary").get("rebooted").asInt(), run::toString);
            for (JsonNode node : report.get("nodes")) {
                if (node.get("identity").asText().equals(quiet)) {
                    assertTrue(node.get("message").asText().contains("rebooted event was not seen"), node::toString);
                }
            }
        }
    }

    @Test
    void requireClearCountsANodeStillPendingAfterBootAsFailed() throws Exception {
        try (LabFixture fixture = LabFixture.start(6, 0.5, 14, state)) {
            String stubborn = fixture.lab.initiallyPending().stream().sorted().findFirst().orElseThrow();
            fixture.lab.node(stubborn).staysPendingAfterReboot();
            Cli.Result run = Cli.run("reboot", "-F", "reboot_pending=true", "--wait", "--require-clear", "--delay",
                    "0", "--json", "--broker", fixture.url());
            assertEquals(1, run.exitCode(), run::toString);
            JsonNode report = JSON.readTree(run.out());
            assertEquals(2, report.get("summary").get("rebooted").asInt(), run::toString);
            assertEquals(1, report.get("summary").get("still_pending").asInt(), run::toString);
            for (JsonNode node : report.get("nodes")) {
                if (node.get("identity").asText().equals(stubborn)) {
                    assertEquals("still_pending", node.get("status").asText(), node::toString);
                    assertTrue(node.get("message").asText().contains("reboot_required"), node::toString);
                }
            }
        }
    }

    @Test
    void ctrlCDuringARollingRunStartsNoNewBatch() throws Exception {
        // Lab time at full scale: a 4s delay, so the first batch is still in flight when Ctrl-C comes.
        try (LabFixture fixture = LabFixture.start(6, 1.0, 15, state,
                new io.orch.playground.lab.LabTiming(1.0, Duration.ofMillis(200)))) {
            Cli.Running running = Cli.start("reboot", "-F", "reboot_pending=true", "--batch", "2", "--wait",
                    "--delay", "4", "--jsonl", "--broker", fixture.url());
            await().atMost(Duration.ofSeconds(30)).until(() -> running.outSoFar().contains("\"scheduled\""));
            running.ctrlC();
            Cli.Result result = running.result();
            assertEquals(130, result.exitCode(), result::toString);
            String[] lines = result.out().split("\n");
            long batchesStarted = java.util.Arrays.stream(lines).filter(l -> l.contains("\"batch_started\"")).count();
            assertEquals(1, batchesStarted, result::toString);
            JsonNode summary = JSON.readTree(lines[lines.length - 1]);
            assertEquals("summary", summary.get("type").asText());
            assertEquals("interrupted", summary.get("stop_reason").asText());
            assertEquals(2, summary.get("in_flight").size(), result::toString);
            assertEquals(4, summary.get("not_started").size(), result::toString);
            assertTrue(result.err().contains("interrupted"), result::toString);

            // The in-flight batch goes ahead (the CLI said so); nobody else ever reboots.
            await().atMost(Duration.ofSeconds(30)).until(() -> texts(summary.get("in_flight")).stream()
                    .allMatch(id -> fixture.lab.node(id).reboots() == 1 && fixture.lab.node(id).up()));
            for (JsonNode id : summary.get("not_started")) {
                assertEquals(0, fixture.lab.node(id.asText()).reboots(), id.asText());
            }
        }
    }

    @Test
    void cancellingARollingRunsBatchMarksItsNodesCancelledAndTheRunGoesOn() throws Exception {
        try (LabFixture fixture = LabFixture.start(4, 1.0, 16, state,
                new io.orch.playground.lab.LabTiming(1.0, Duration.ofMillis(200)))) {
            Cli.Running running = Cli.start("reboot", "-F", "reboot_pending=true", "--batch", "2", "--wait",
                    "--delay", "30", "--wait-timeout", "2m", "--jsonl", "--broker", fixture.url());
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> running.outSoFar().lines()
                        .filter(l -> l.contains("\"status\":\"scheduled\"")).count() == 2);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                running.ctrlC();
                throw new AssertionError("first batch never scheduled:\n" + running.result(), e);
            }
            String requestId = JSON.readTree(running.outSoFar().lines().filter(l -> l.contains("batch_started"))
                    .findFirst().orElseThrow()).get("request_id").asText();
            Cli.Result cancel = Cli.run("cancel", requestId, "--broker", fixture.url());
            assertEquals(0, cancel.exitCode(), cancel::toString);
            // The second batch starts once the first is settled (cancelled); cancel it too.
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> running.outSoFar().lines()
                        .filter(l -> l.contains("\"status\":\"scheduled\"")).count() == 4);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError("second batch never scheduled:\n" + running.outSoFar(), e);
            }
            String second = running.outSoFar().lines().filter(l -> l.contains("batch_started")).skip(1)
                    .findFirst().map(l -> {
                        try {
                            return JSON.readTree(l).get("request_id").asText();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }).orElseThrow();
            assertEquals(0, Cli.run("cancel", second, "--broker", fixture.url()).exitCode());
            Cli.Result result = running.result();
            assertEquals(0, result.exitCode(), result::toString);
            String[] lines = result.out().split("\n");
            JsonNode summary = JSON.readTree(lines[lines.length - 1]);
            assertEquals(4, summary.get("summary").get("cancelled").asInt(), result::toString);
            for (LabNode node : fixture.lab.nodes()) {
                assertEquals(0, node.reboots(), node.identity());
            }
            assertFalse(result.out().contains("\"rebooted\""), result::toString);
        }
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
