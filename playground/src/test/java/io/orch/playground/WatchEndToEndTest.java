package io.orch.playground;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** {@code orch watch} next to a real reboot run: the events of exactly the nodes that rebooted, as they happen. */
class WatchEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern REBOOTED_LINE = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ  (lab-\\d+)"
            + "  rebooted  request (\\S+)  old boot (\\S{8}) -> new (\\S{8}), down \\d+\\.\\ds, nothing pending");

    @TempDir
    static Path state;

    static LabFixture fixture;

    @BeforeAll
    static void startLab() throws Exception {
        fixture = LabFixture.start(20, 0.3, 11, state);
    }

    @AfterAll
    static void stopLab() {
        fixture.close();
    }

    /**
     * A watch running in the background. Unlike {@link Cli#run} it shows stderr while it runs: the
     * test starts the reboot only once the watch says it is subscribed, since a topic keeps nothing
     * for a subscriber that comes late.
     */
    static final class Watch {
        final StringWriter err = new StringWriter();
        final CompletableFuture<Cli.Result> result;

        Watch(String... args) {
            StringWriter out = new StringWriter();
            CommandLine cli = OrchMain.commandLine(io.orch.cli.config.ClientConfig.load(Cli.PKI.clientEnvironment(),
                    null, null));
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(err, true));
            result = CompletableFuture.supplyAsync(() -> {
                int code = cli.execute(args);
                return new Cli.Result(code, out.toString(), err.toString());
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> err.toString().contains("orch: watching")
                    || result.isDone());
            assertFalse(result.isDone(), () -> "watch ended before it subscribed: " + result.join());
        }

        Cli.Result result() throws Exception {
            return result.get(3, TimeUnit.MINUTES);
        }
    }

    @Test
    void watchShowsRebootingAndRebootedForExactlyThePendingNodesOneJsonObjectPerLine() throws Exception {
        Set<String> pending = fixture.lab.initiallyPending();
        assertFalse(pending.isEmpty(), "the lab's seed gives no pending node");
        String someNode = pending.iterator().next();
        Watch jsonl = new Watch("watch", "--type", "rebooting,rebooted", "--count", String.valueOf(2 * pending.size()),
                "--for", "2m", "--jsonl", "--broker", fixture.url());
        Watch text = new Watch("watch", "-I", "/^" + someNode + "$/", "--type", "rebooted", "--count", "1",
                "--for", "2m", "--broker", fixture.url());

        Cli.Result reboot = Cli.run("reboot", "-F", "reboot_pending=true", "--delay", "0", "--json",
                "--broker", fixture.url());
        assertEquals(0, reboot.exitCode(), reboot::toString);

        Cli.Result watched = jsonl.result();
        assertEquals(0, watched.exitCode(), watched::toString);
        List<String> lines = watched.out().lines().toList();
        assertEquals(2 * pending.size(), lines.size(), watched::toString);
        // One request did it all, and it is the one the reboot run reports.
        String requestId = JSON.readTree(lines.get(0)).get("request_id").asText();
        assertTrue(!requestId.isEmpty() && reboot.out().contains("\"" + requestId + "\""), reboot::toString);
        Set<String> rebooting = new TreeSet<>();
        Set<String> rebooted = new TreeSet<>();
        Map<String, String> bootBefore = new HashMap<>();
        List<JsonNode> after = new ArrayList<>();
        for (String line : lines) {
            JsonNode event = JSON.readTree(line); // each line valid JSON on its own
            assertEquals(List.of("type", "node", "boot_id", "request_id", "time", "data"), fields(event), line);
            assertEquals(requestId, event.get("request_id").asText(), line);
            String node = event.get("node").asText();
            switch (event.get("type").asText()) {
                case "rebooting" -> {
                    assertTrue(rebooting.add(node), "two rebooting events for " + node);
                    bootBefore.put(node, event.get("boot_id").asText());
                }
                case "rebooted" -> {
                    assertTrue(rebooted.add(node), "two rebooted events for " + node);
                    after.add(event);
                }
                default -> throw new AssertionError("--type let through " + line);
            }
        }
        assertEquals(new TreeSet<>(pending), rebooting, watched::toString);
        assertEquals(new TreeSet<>(pending), rebooted, watched::toString);
        for (JsonNode event : after) {
            String node = event.get("node").asText();
            assertEquals(bootBefore.get(node), event.get("data").get("old_boot_id").asText(), node);
            assertEquals(event.get("boot_id").asText(), event.get("data").get("new_boot_id").asText(), node);
        }

        Cli.Result one = text.result();
        assertEquals(0, one.exitCode(), one::toString);
        List<String> textLines = one.out().lines().toList();
        assertEquals(1, textLines.size(), one::toString);
        var matcher = REBOOTED_LINE.matcher(textLines.get(0));
        assertTrue(matcher.matches(), one::toString);
        assertEquals(someNode, matcher.group(1));
        assertEquals(requestId, matcher.group(2));
        assertEquals(bootBefore.get(someNode).substring(0, 8), matcher.group(3));
    }

    @Test
    void unknownEventTypeExitsTwoNamingTheFlagAndTheValidTypesBeforeConnecting() {
        Cli.Result result = Cli.run("watch", "--type", "rebooted,bogus", "--broker", "tcp://127.0.0.1:1",
                "--connect-timeout", "1s");

        assertEquals(2, result.exitCode(), result::toString);
        assertTrue(result.err().contains("--type 'bogus' is not an event type"), result::toString);
        assertTrue(result.err().contains("started, rebooting, rebooted, cancelled, reboot_failed, reboot_interrupted"),
                result::toString);
        assertEquals("", result.out());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--count|0|--count must be at least 1",
        "--for|0s|--for must be more than 0",
        "--request|' '|--request is empty",
        "-I|/[/|bad filter -I"})
    void badWatchFlagExitsTwoNamingTheFlagBeforeConnecting(String flag, String value, String message) {
        Cli.Result result = Cli.run("watch", flag, value, "--broker", "tcp://127.0.0.1:1", "--connect-timeout", "1s");

        assertEquals(2, result.exitCode(), result::toString);
        assertTrue(result.err().contains(message), result::toString);
    }

    @Test
    void forEndsAQuietWatchWithExitZeroAndNoOutput() {
        Cli.Result result = Cli.run("watch", "-I", "no-such-node", "--for", "1s", "--broker", fixture.url());

        assertEquals(0, result.exitCode(), result::toString);
        assertEquals("", result.out(), result::toString);
    }

    @Test
    void unreachableBrokerExitsThree() {
        Cli.Result result = Cli.run("watch", "--broker", "tcp://127.0.0.1:1", "--connect-timeout", "2s");

        assertEquals(3, result.exitCode(), result::toString);
    }

    @Test
    void ctrlCIsTheNormalEndOfAWatchWithExitZero() throws Exception {
        Cli.Running watch = Cli.start("watch", "--broker", fixture.url());
        Thread.sleep(1000);
        watch.ctrlC();
        Cli.Result result = watch.result();
        assertEquals(0, result.exitCode(), result::toString);
    }

    @Test
    void aBrokerLostWhileWatchingExitsThree() throws Exception {
        SchemaCheckedBroker own = SchemaCheckedBroker.start();
        Cli.Running watch;
        try {
            watch = Cli.start("watch", "--broker", own.url());
            Thread.sleep(1500);
        } finally {
            own.close();
        }
        Cli.Result result = watch.result();
        assertEquals(3, result.exitCode(), result::toString);
        assertTrue(result.err().contains("lost the broker"), result::toString);
    }

    private static List<String> fields(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
