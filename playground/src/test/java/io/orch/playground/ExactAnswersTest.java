package io.orch.playground;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orch.playground.lab.Lab;
import io.orch.playground.lab.LabSpec;
import io.orch.playground.lab.LabTiming;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The answers a script relies on when the fleet is not what it expects. */
class ExactAnswersTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path state;

    @Test
    void rebootWithoutAnyFilterIsRefusedUnlessAllIsGiven() throws Exception {
        try (LabFixture fixture = LabFixture.start(4, 0.5, 1, state)) {
            Cli.Result refused = Cli.run("reboot", "--noop", "--broker", fixture.url());
            assertEquals(2, refused.exitCode(), refused::toString);
            assertTrue(refused.err().contains("--all"), refused::toString);

            Cli.Result all = Cli.run("reboot", "--all", "--noop", "--json", "--broker", fixture.url());
            assertEquals(0, all.exitCode(), all::toString);
            assertEquals(2, JSON.readTree(all.out()).get("summary").get("noop").asInt(), all::toString);
            assertEquals(2, JSON.readTree(all.out()).get("summary").get("not_pending").asInt(), all::toString);
        }
    }

    @Test
    void onlyifRebootsOnlyForTheNamedReason() throws Exception {
        try (LabFixture fixture = LabFixture.start(20, 1.0, 8, state)) {
            Cli.Result result = Cli.run("reboot", "-F", "reboot_pending=true", "--onlyif", "reboot_needed", "--noop",
                    "--json", "--broker", fixture.url());
            assertEquals(0, result.exitCode(), result::toString);
            assertTrue(JSON.readTree(result.out()).get("summary").path("noop").asInt() > 0, result::toString);
            for (JsonNode node : JSON.readTree(result.out()).get("nodes")) {
                boolean suse = java.nio.file.Files.exists(fixture.lab.node(node.get("identity").asText()).root()
                        .resolve("run/reboot-needed"));
                assertEquals(suse ? "noop" : "not_pending", node.get("status").asText(), result::toString);
            }
        }
    }

    @Test
    void nobodyAnsweringIsExitFourNotSuccess() {
        try (SchemaCheckedBroker empty = SchemaCheckedBroker.start()) {
            Cli.Result result = Cli.run("status", "-F", "reboot_pending=true", "--discovery-timeout", "1s",
                    "--broker", empty.url());
            assertEquals(4, result.exitCode(), result::toString);
            assertTrue(result.out().contains("No node answered"), result::toString);
            assertTrue(result.out().contains("0 failed, 0 no response"), result::toString);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void twoRespondersWithOneIdentityAreReportedAndNotRebooted() throws Exception {
        try (LabFixture fixture = LabFixture.start(3, 1.0, 2, state.resolve("a"));
             Lab twin = Lab.start(new LabSpec(1, 1.0, 9, fixture.url(), null, state.resolve("b"),
                     new LabTiming(0, Duration.ofMillis(500)), 10, Cli.PKI))) {
            Cli.Result result = Cli.run("reboot", "-F", "reboot_pending=true", "--delay", "0", "--json",
                    "--broker", fixture.url());
            assertEquals(1, result.exitCode(), result::toString);
            JsonNode report = JSON.readTree(result.out());
            JsonNode lab1 = null;
            for (JsonNode node : report.get("nodes")) {
                if (node.get("identity").asText().equals("lab-0001")) {
                    lab1 = node;
                }
            }
            assertEquals("failed", lab1.get("status").asText(), result::toString);
            assertTrue(lab1.get("message").asText().contains("more than one responder"), result::toString);
            assertEquals(2, report.get("summary").get("scheduled").asInt(), result::toString);
            Thread.sleep(1500); // a reboot, had one been sent, would start at once and be back in 0.5 s
            assertEquals(0, fixture.lab.node("lab-0001").reboots());
            assertEquals(0, twin.node("lab-0001").reboots());
        }
    }

    @Test
    void brokerLostDuringDiscoveryIsExitThreeNotAWait() throws Exception {
        SchemaCheckedBroker broker = SchemaCheckedBroker.start();
        ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
        try {
            later.schedule(broker::stop, 1500, TimeUnit.MILLISECONDS);
            Cli.Result result = Cli.run("ping", "--discovery-timeout", "30s", "--broker", broker.url());
            assertEquals(3, result.exitCode(), result::toString);
            assertTrue(result.err().contains("lost the broker"), result::toString);
        } finally {
            later.shutdownNow();
            broker.close();
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"tcp://127.0.0.1:61616?bogus.option=1", "foo://x", " "})
    void aBrokerUrlThatIsNoUrlIsAUsageError(String url) {
        Cli.Result result = Cli.run("ping", "--broker", url);
        assertEquals(2, result.exitCode(), result::toString);
        assertTrue(result.err().contains("--broker"), result::toString);
    }
}
