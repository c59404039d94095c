package io.orch.playground;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orch.cli.ExitCode;
import io.orch.cli.output.SafeText;
import io.orch.playground.ForgedAnswersTest.Forger;
import io.orch.playground.ForgedAnswersTest.Signature;
import io.orch.protocol.envelope.Action;
import io.orch.protocol.envelope.Codec;
import io.orch.protocol.envelope.Event;
import io.orch.protocol.envelope.EventType;
import io.orch.protocol.envelope.Reply;
import io.orch.protocol.envelope.ReplyStatus;
import io.orch.protocol.envelope.SecureEnvelope;
import io.orch.protocol.payload.LoopGuardState;
import io.orch.protocol.payload.Maintenance;
import io.orch.protocol.payload.Reason;
import io.orch.protocol.payload.RebootFailedData;
import io.orch.protocol.payload.StatusData;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10: every string a node supplies reaches the operator's terminal through the one sanitiser.
 * A node holding a real certificate of the site's CA for its own name (so everything it says is
 * believed) puts a title-setting OSC, a clear-screen CSI, a right-to-left override and a zero-width
 * space into its message, a reason's detail, a fact value, its maintenance summary and a
 * {@code reboot_failed} event; a compromised neighbour forges messages with those characters in the
 * node name they claim. The table, the warnings on stderr, {@code orch watch} and the JSON outputs
 * show them escaped, never raw; the JSON still carries the exact value.
 */
class HostileTextTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Codec CODEC = new Codec();
    /** Sets the terminal's title, clears the screen, reverses what follows, and hides a character. */
    static final String HOSTILE = "\u001b]0;pwned\u0007\u001b[2J\u202eexe.txt\u200b!";
    /** Not a lab node: only the forger answers for it, with a certificate of the site's CA for this name. */
    private static final String PHANTOM = "lab-0009";

    @TempDir
    Path state;

    @Test
    void nothingANodeSendsReachesTheTerminalRawInTableWarningsOrJson() throws Exception {
        try (LabFixture fixture = LabFixture.start(1, 1.0, 45, state).withoutInventory();
             Forger forger = new Forger(fixture.url())) {
            forger.onBroadcast(request -> Signature.OWN.seal(SecureEnvelope.Kind.REPLY, CODEC.encode(
                    new Reply(request.id(), PHANTOM, request.action().wireName(), true, ReplyStatus.OK, "", null,
                            Instant.now())), PHANTOM));
            // A neighbour speaking for a node name of its making: only a warning, and one line of it.
            forger.onBroadcast(request -> Signature.OTHER_NODE.seal(SecureEnvelope.Kind.REPLY, CODEC.encode(
                    new Reply(request.id(), "x" + HOSTILE, request.action().wireName(), true, ReplyStatus.DENIED,
                            HOSTILE, null, Instant.now())), "x" + HOSTILE));
            forger.intercept(PHANTOM, request -> request.action() != Action.STATUS ? null
                    : Signature.OWN.seal(SecureEnvelope.Kind.REPLY, CODEC.encode(new Reply(request.id(), PHANTOM,
                            Action.STATUS.wireName(), true, ReplyStatus.OK, "pending " + HOSTILE, status(),
                            Instant.now())), PHANTOM));

            Cli.Result table = Cli.run("status", "--show-fact", "motd", "--broker", fixture.url());
            forger.assertNoFailures();
            assertEquals(ExitCode.OK, table.exitCode(), table::toString);
            assertNothingRaw(table);
            String row = table.out().lines().filter(l -> l.startsWith(PHANTOM + " ")).findFirst()
                    .orElseThrow(() -> new AssertionError("no row for " + PHANTOM + ":\n" + table));
            // The text did reach the CLI, and a person sees that something was there.
            assertTrue(row.contains("pending \\u001b]0;pwned\\u0007\\u001b[2J\\u202eexe.txt\\u200b!"), table::toString);
            assertTrue(row.contains("motd=\\u001b]0;pwned"), table::toString);
            assertTrue(table.out().lines().anyMatch(l -> l.startsWith("lab-0001 ")), table::toString);
            List<String> warnings = table.err().lines().toList();
            assertEquals(1, warnings.size(), table::toString);
            assertTrue(warnings.get(0).startsWith("orch: warning: unverified reply claiming to be from "
                    + "'x\\u001b]0;pwned\\u0007\\u001b[2J\\u202eexe.txt\\u200b!' ignored"), table::toString);

            for (String format : List.of("--json", "--jsonl")) {
                Cli.Result json = Cli.run("status", "--show-fact", "motd", format, "--broker", fixture.url());
                forger.assertNoFailures();
                assertEquals(ExitCode.OK, json.exitCode(), json::toString);
                assertNothingRaw(json);
                List<String> lines = json.out().lines().toList();
                JsonNode report = JSON.readTree(format.equals("--json") ? json.out() : lines.get(lines.size() - 1));
                JsonNode phantom = null;
                for (JsonNode node : report.get("nodes")) {
                    phantom = node.get("identity").asText().equals(PHANTOM) ? node : phantom;
                }
                assertTrue(phantom != null, json::toString);
                // Exact values, for scripts: escaped on the wire, not changed.
                assertTrue(phantom.get("message").asText().startsWith("pending " + HOSTILE), json::toString);
                assertEquals(HOSTILE, phantom.get("data").get("facts").get("motd").asText(), json::toString);
                assertEquals("detail " + HOSTILE, phantom.get("data").get("reasons").get(0).get("detail").asText());
                assertEquals("x" + HOSTILE, report.get("unverified").get(0).get("claimed_node").asText());
            }
        }
    }

    @Test
    void watchShowsANodesEventAndAForgersClaimEscaped() throws Exception {
        try (LabFixture fixture = LabFixture.start(1, 0.0, 46, state); Forger forger = new Forger(fixture.url())) {
            Cli.Running watch = Cli.start("watch", "--count", "1", "--for", "2m", "--broker", fixture.url());
            await().atMost(Duration.ofSeconds(30)).until(() -> watch.errSoFar().contains("orch: watching")
                    || watch.done());
            assertFalse(watch.done(), "watch ended before it subscribed");
            forger.publishEvent(Signature.OTHER_NODE.seal(SecureEnvelope.Kind.EVENT,
                    CODEC.encode(failed("x" + HOSTILE)), "x" + HOSTILE));
            forger.publishEvent(Signature.OWN.seal(SecureEnvelope.Kind.EVENT, CODEC.encode(failed("lab-0001")),
                    "lab-0001"));
            Cli.Result watched = watch.result();

            assertEquals(ExitCode.OK, watched.exitCode(), watched::toString);
            assertNothingRaw(watched);
            assertEquals(1, watched.out().lines().count(), watched::toString);
            assertTrue(watched.out().contains("lab-0001  reboot_failed") && watched.out().contains(
                    "will not reboot: \\u001b]0;pwned\\u0007\\u001b[2J\\u202eexe.txt\\u200b!"), watched::toString);
            assertTrue(watched.err().contains("claiming to be from 'x\\u001b]0;pwned"), watched::toString);
            assertEquals(2, watched.err().lines().count(), watched::toString);
        }
    }

    private static StatusData status() {
        return new StatusData(true, List.of(new Reason("reboot_required", "detail " + HOSTILE, Map.of())), Map.of(),
                UUID.randomUUID().toString(), 60, Map.of(), null, null, LoopGuardState.CLEAR, null,
                Map.of("motd", HOSTILE), StatusData.VERIFIED,
                new Maintenance("", true, null, "window " + HOSTILE));
    }

    private static Event failed(String node) {
        return new Event(EventType.REBOOT_FAILED, node, UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                Instant.now(), new RebootFailedData(HOSTILE));
    }

    /** Neither stream holds a character a terminal would act on, or that hides or reorders text. */
    private static void assertNothingRaw(Cli.Result result) {
        for (String text : List.of(result.out(), result.err())) {
            text.codePoints().forEach(c -> assertTrue(c == '\n' || !SafeText.unsafe(c),
                    () -> "raw U+" + Integer.toHexString(c) + " printed:\n" + result));
        }
    }
}
