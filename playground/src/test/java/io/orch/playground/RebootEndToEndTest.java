package io.orch.playground;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orch.playground.lab.LabNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole slice: CLI → broker → 50 lab responders → simulated reboots → back, not pending. */
class RebootEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path state;

    static LabFixture fixture;

    @BeforeAll
    static void startLab() throws Exception {
        fixture = LabFixture.start(50, 0.3, 7, state);
    }

    @AfterAll
    static void stopLab() throws Exception {
        fixture.close();
    }

    @Test
    void noopNamesExactlyThePendingNodesAndThenExactlyThoseRebootAndComeBackClear() throws Exception {
        Set<String> pending = fixture.lab.initiallyPending();
        assertEquals(15, pending.size());

        Cli.Result noop = Cli.run("reboot", "-F", "reboot_pending=true", "--noop", "--json", "--broker", fixture.url());
        assertEquals(0, noop.exitCode(), noop::toString);
        JsonNode report = JSON.readTree(noop.out());
        assertEquals(pending, identities(report), noop::toString);
        report.get("nodes").forEach(n -> assertEquals("noop", n.get("status").asText()));
        assertEquals(35, report.get("not_matched").asInt());
        assertEquals(0, report.get("no_response").size());
        fixture.lab.nodes().forEach(n -> assertEquals(0, n.reboots(), n.identity() + " rebooted on --noop"));

        Map<String, String> bootIds = new HashMap<>();
        for (LabNode node : fixture.lab.nodes()) {
            bootIds.put(node.identity(), node.bootId());
        }
        Cli.Result reboot = Cli.run("reboot", "-F", "reboot_pending=true", "--delay", "0", "--json",
                "--broker", fixture.url());
        assertEquals(0, reboot.exitCode(), reboot::toString);
        JsonNode done = JSON.readTree(reboot.out());
        assertEquals(pending, identities(done));
        done.get("nodes").forEach(n -> assertEquals("scheduled", n.get("status").asText()));
        assertEquals(15, done.get("summary").get("scheduled").asInt());

        await().atMost(Duration.ofSeconds(60)).until(() -> pending.stream()
                .allMatch(id -> fixture.lab.node(id).reboots() == 1 && fixture.lab.node(id).up()));
        for (LabNode node : fixture.lab.nodes()) {
            if (pending.contains(node.identity())) {
                assertNotEquals(bootIds.get(node.identity()), node.bootId(), node.identity() + " kept its boot id");
                assertTrue(!node.pending().pending(), node.identity() + " still pending: " + node.pending());
            } else {
                assertEquals(0, node.reboots(), node.identity() + " was not pending but rebooted");
                assertEquals(bootIds.get(node.identity()), node.bootId());
            }
        }

        Cli.Result after = Cli.run("status", "-F", "reboot_pending=true", "--json", "--broker", fixture.url());
        assertEquals(0, after.exitCode(), after::toString);
        JsonNode none = JSON.readTree(after.out());
        assertEquals(0, none.get("nodes").size(), after::toString);
        assertEquals(50, none.get("not_matched").asInt());
    }

    static Set<String> identities(JsonNode report) {
        Set<String> ids = new TreeSet<>();
        report.get("nodes").forEach(n -> ids.add(n.get("identity").asText()));
        return ids;
    }

    @Test
    void aForcedRebootIsDeniedByANodeThatDoesNotAllowIt() throws Exception {
        String calm = fixture.lab.nodes().stream().map(LabNode::identity)
                .filter(id -> !fixture.lab.initiallyPending().contains(id)).sorted().findFirst().orElseThrow();
        int before = fixture.lab.node(calm).reboots();
        Cli.Result run = Cli.run("reboot", "-I", calm, "--force", "--yes", "--delay", "0", "--json",
                "--broker", fixture.url());
        assertEquals(1, run.exitCode(), run::toString);
        JsonNode node = JSON.readTree(run.out()).get("nodes").get(0);
        assertEquals("denied", node.get("status").asText(), run::toString);
        assertTrue(node.get("message").asText().contains("allow_force"), run::toString);
        assertEquals(before, fixture.lab.node(calm).reboots());
    }
}
