package io.orch.playground;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orch.playground.lab.LabNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A lab node's metrics file, as node_exporter would read it, before and after orch reboots the node. */
class LabMetricsEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path state;

    @Test
    void afterARebootTheFileSaysNothingIsPendingAndWhenTheRebootWasWithItsRequestId() throws Exception {
        try (LabFixture fixture = LabFixture.start(3, 1.0, 7, state)) {
            LabNode node = fixture.lab.node("lab-0002");
            node.publishMetrics();
            String before = Files.readString(node.metricsFile());
            assertTrue(before.contains("\norch_reboot_pending 1.0\n"), before);
            assertTrue(before.contains("orch_reboot_pending_reason{"), before);
            assertTrue(before.contains("orch_reboot_pending_since_timestamp_seconds "), before);

            Instant asked = Instant.now();
            Cli.Result reboot = Cli.run("reboot", "-I", "lab-0002", "-F", "reboot_pending=true", "--delay", "0",
                    "--wait", "--json", "--broker", fixture.url());
            assertEquals(0, reboot.exitCode(), reboot::toString);
            JsonNode row = JSON.readTree(reboot.out()).get("nodes").get(0);
            assertEquals("rebooted", row.get("status").asText(), reboot::toString);
            String requestId = row.get("request_id").asText();

            // The node wrote its file when it came back, once its journal had settled the reboot.
            Pattern last = Pattern.compile("orch_last_reboot_timestamp_seconds\\{request_id=\"" + Pattern.quote(requestId)
                    + "\"} ([0-9.E]+)\n");
            await().atMost(Duration.ofSeconds(30)).until(() -> last.matcher(Files.readString(node.metricsFile())).find());
            String after = Files.readString(node.metricsFile());
            assertTrue(after.contains("\norch_reboot_pending 0.0\n"), after);
            assertTrue(!after.contains("orch_reboot_pending_reason{"), after);
            assertTrue(!after.contains("orch_reboot_pending_since_timestamp_seconds"), after);
            Matcher m = last.matcher(after);
            assertTrue(m.find());
            double rebootedAt = Double.parseDouble(m.group(1));
            assertTrue(rebootedAt >= asked.getEpochSecond() && rebootedAt <= Instant.now().getEpochSecond() + 1,
                    "the reboot's time is this reboot's: " + after);
            // A reboot just made: the loop guard holds the next pending-reboot back for reboot.min_interval_s.
            assertTrue(after.contains("orch_loop_guard{state=\"min_interval\"} 1.0\n"), after);
        }
    }
}
