package io.orch.playground;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orch.playground.lab.LabNode;
import io.orch.playground.lab.LabTiming;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CancelEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path state;

    @Test
    void cancelDuringTheDelayStopsEveryRebootOfThatRequest() throws Exception {
        // Lab time at full scale: the delay really lasts 8 seconds, and the test outlives it.
        try (LabFixture fixture = LabFixture.start(6, 0.5, 4, state, new LabTiming(1.0, Duration.ofMillis(200)))) {
            Cli.Result reboot = Cli.run("reboot", "-F", "reboot_pending=true", "--delay", "8", "--json",
                    "--broker", fixture.url());
            long delayEnds = System.nanoTime() + Duration.ofSeconds(8).toNanos();
            assertEquals(0, reboot.exitCode(), reboot::toString);
            JsonNode report = JSON.readTree(reboot.out());
            assertEquals(3, report.get("summary").get("scheduled").asInt(), reboot::toString);
            String requestId = report.get("request_ids").get("reboot").get(0).asText();

            Cli.Result cancel = Cli.run("cancel", requestId, "--json", "--broker", fixture.url());
            assertEquals(0, cancel.exitCode(), cancel::toString);
            JsonNode cancelled = JSON.readTree(cancel.out());
            assertEquals(3, cancelled.get("summary").get("cancelled").asInt(), cancel::toString);
            assertEquals(3, cancelled.get("summary").get("noop").asInt(), cancel::toString);
            for (JsonNode node : cancelled.get("nodes")) {
                boolean wasPending = fixture.lab.initiallyPending().contains(node.get("identity").asText());
                assertEquals(wasPending ? "cancelled" : "noop", node.get("status").asText(), cancel::toString);
            }

            // The same request cannot be cancelled twice, and nothing went down, even after the delay.
            Thread.sleep(Math.max(0, (delayEnds - System.nanoTime()) / 1_000_000) + 1500);
            Cli.Result again = Cli.run("cancel", requestId, "--json", "--broker", fixture.url());
            assertEquals(6, JSON.readTree(again.out()).get("summary").get("noop").asInt(), again::toString);
            for (LabNode node : fixture.lab.nodes()) {
                assertEquals(0, node.reboots(), node.identity());
                assertTrue(node.up(), node.identity());
            }
        }
    }

    @Test
    void cancelWithABadRequestIdIsAUsageError() {
        Cli.Result result = Cli.run("cancel", "-rf");
        assertEquals(2, result.exitCode(), result::toString);
    }

    @Test
    void nodesComeBackThroughTheirJournal() throws Exception {
        try (LabFixture fixture = LabFixture.start(4, 0.5, 6, state)) {
            Cli.Result reboot = Cli.run("reboot", "-F", "reboot_pending=true", "--delay", "0", "--broker",
                    fixture.url());
            assertEquals(0, reboot.exitCode(), reboot::toString);
            await().atMost(Duration.ofSeconds(30)).until(() -> fixture.lab.initiallyPending().stream()
                    .allMatch(id -> fixture.lab.node(id).reboots() == 1 && fixture.lab.node(id).up()));
            for (String id : fixture.lab.initiallyPending()) {
                // After boot the responder settled its journal: nothing promised is left behind.
                assertTrue(!java.nio.file.Files.exists(fixture.lab.node(id).root()
                        .resolve("var/lib/orch/pending-reboot.json")), id);
                assertTrue(java.nio.file.Files.exists(fixture.lab.node(id).root()
                        .resolve("var/lib/orch/last-reboot.json")), id);
            }
        }
    }
}
