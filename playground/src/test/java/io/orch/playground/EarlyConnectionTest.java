package io.orch.playground;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orch.cli.client.HeadStart;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connection the launcher begins before the command line is parsed ({@code EarlyConnection}) is used only
 * when the parsed options ask for exactly it; any other run throws it away, and none is left open.
 */
class EarlyConnectionTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path state;

    @Test
    void aStatusWhoseOptionsMatchTakesTheConnectionBegunAtStart() throws Exception {
        try (LabFixture fixture = LabFixture.start(3, 0.0, 7, state.resolve("lab"))) {
            int before = fixture.broker.broker().clientConnections();
            AtomicReference<HeadStart> headStart = new AtomicReference<>();

            Cli.Result result = Cli.runWithHeadStart(headStart::set, null, "status", "-I", "lab-0002", "--json",
                    "--broker", fixture.url());

            assertEquals(0, result.exitCode(), result::toString);
            JsonNode report = JSON.readTree(result.out());
            assertEquals("lab-0002", report.get("nodes").get(0).get("identity").asText(), result::toString);
            assertEquals("taken", headStart.get().outcome());
            noConnectionLeftOpen(fixture, before);
        }
    }

    @Test
    void anEarlyConnectionBegunForAnotherPlanIsThrownAwayAndTheRunConnectsAsItsOptionsSay() throws Exception {
        try (LabFixture fixture = LabFixture.start(3, 0.0, 7, state.resolve("lab"))) {
            int before = fixture.broker.broker().clientConnections();
            AtomicReference<HeadStart> headStart = new AtomicReference<>();

            // The head start guessed another state folder (its remembered certificates): not this run's plan.
            Cli.Result result = Cli.runWithHeadStart(headStart::set, state.resolve("elsewhere"), "ping", "-I",
                    "lab-0001", "--json", "--broker", fixture.url());

            assertEquals(0, result.exitCode(), result::toString);
            assertEquals(1, JSON.readTree(result.out()).get("nodes").size(), result::toString);
            assertEquals("discarded", headStart.get().outcome());
            noConnectionLeftOpen(fixture, before);
        }
    }

    @Test
    void aCommandLineThatDoesNotParseLeavesNoConnectionOpen() throws Exception {
        try (LabFixture fixture = LabFixture.start(2, 0.0, 7, state.resolve("lab"))) {
            int before = fixture.broker.broker().clientConnections();
            AtomicReference<HeadStart> headStart = new AtomicReference<>();

            Cli.Result result = Cli.runWithHeadStart(headStart::set, null, "status", "-I", "lab-0001",
                    "--broker", fixture.url(), "--no-such-flag");

            assertEquals(2, result.exitCode(), result::toString);
            assertTrue(result.err().contains("--no-such-flag"), result::toString);
            headStart.get().await();
            noConnectionLeftOpen(fixture, before);
        }
    }

    private static void noConnectionLeftOpen(LabFixture fixture, int before) {
        await().atMost(Duration.ofSeconds(20)).until(() -> fixture.broker.broker().clientConnections() == before);
    }
}
