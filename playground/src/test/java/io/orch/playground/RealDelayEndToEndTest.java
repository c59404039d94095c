package io.orch.playground;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orch.cli.ExitCode;
import io.orch.playground.lab.LabTiming;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10: the CLI's wait follows the delay the node's executor really applies, as the node reports it
 * ({@code effective_delay_s}), not shutdown's whole minutes for every executor. Lab nodes in real time.
 */
class RealDelayEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path state;

    /** Once refused ("up to 60s with shutdown's whole minutes"): a node with a 3 s delay is waited 3 s for. */
    @Test
    void aThreeSecondDelayIsWaitedForOnItsRealDelay() throws Exception {
        try (LabFixture fixture = LabFixture.start(2, 1.0, 51, state,
                new LabTiming(1.0, Duration.ofMillis(500)))) {
            Cli.Result run = Cli.run("reboot", "-F", "reboot_pending=true", "--delay", "3s", "--wait",
                    "--wait-timeout", "10s", "--json", "--broker", fixture.url());

            assertEquals(ExitCode.OK, run.exitCode(), run::toString);
            JsonNode report = JSON.readTree(run.out());
            assertEquals(2, report.get("nodes").size(), run::toString);
            for (JsonNode node : report.get("nodes")) {
                assertEquals("rebooted", node.get("status").asText(), run::toString);
                JsonNode resource = node.get("data").get("resource");
                assertEquals(3, resource.get("delay_s").asInt(), run::toString);
                assertEquals(3, resource.get("effective_delay_s").asInt(), run::toString);
                long back = node.get("timings_ms").get("back").asLong();
                assertTrue(back >= 3_000 && back < 10_000, () -> "back after " + back + " ms:\n" + run);
            }
            fixture.lab.nodes().forEach(n -> assertEquals(1, n.reboots(), n.identity()));
        }
    }

    /**
     * Lab time at twice real time: the node's executor waits 6 s for --delay 3s and says so. --wait-timeout
     * 5s would give up on it before it even went down; the CLI gives it the 3 s its executor adds.
     */
    @Test
    void aNodeWhoseExecutorWaitsLongerThanDelayIsGivenThatMuchMore() throws Exception {
        try (LabFixture fixture = LabFixture.start(1, 1.0, 52, state,
                new LabTiming(2.0, Duration.ofMillis(300)))) {
            Cli.Result run = Cli.run("reboot", "-F", "reboot_pending=true", "--delay", "3s", "--wait",
                    "--wait-timeout", "5s", "--json", "--broker", fixture.url());

            assertEquals(ExitCode.OK, run.exitCode(), run::toString);
            JsonNode node = JSON.readTree(run.out()).get("nodes").get(0);
            assertEquals("rebooted", node.get("status").asText(), run::toString);
            assertEquals(6, node.get("data").get("resource").get("effective_delay_s").asInt(), run::toString);
            long back = node.get("timings_ms").get("back").asLong();
            assertTrue(back > 5_000, () -> "back after " + back + " ms, past --wait-timeout:\n" + run);
        }
    }
}
