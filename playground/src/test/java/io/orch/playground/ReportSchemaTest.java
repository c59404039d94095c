package io.orch.playground;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --json} matches the schema committed in docs/, and {@code --jsonl} is one JSON object a line. */
class ReportSchemaTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SCHEMA = Path.of("..", "docs", "report.schema.json");

    @TempDir
    static Path state;

    private static LabFixture fixture;
    private static JsonSchema schema;

    @BeforeAll
    static void start() throws Exception {
        fixture = LabFixture.start(12, 0.5, 21, state);
        try (InputStream in = Files.newInputStream(SCHEMA)) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        }
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @Test
    void everyCommandsJsonReportMatchesTheSchema() throws Exception {
        List<String[]> runs = List.of(
                new String[] {"ping"},
                new String[] {"discover", "-F", "reboot_pending=true"},
                new String[] {"status", "--show-fact", "kernel.release"},
                new String[] {"reboot", "-F", "reboot_pending=true", "--noop"},
                new String[] {"reboot", "-F", "reboot_pending=true", "--noop", "--limit", "50%"},
                new String[] {"cancel", "-I", "lab-0001", "00000000-0000-0000-0000-000000000000"});
        for (String[] args : runs) {
            Cli.Result result = Cli.run(withBroker(args, "--json"));
            assertValid(JSON.readTree(result.out()), result);
        }
    }

    @Test
    void aRollingRebootReportMatchesTheSchemaAndJsonlIsOneObjectPerLine() throws Exception {
        Cli.Result result = Cli.run(withBroker(new String[] {"reboot", "-F", "reboot_pending=true", "--batch", "50%",
            "--wait", "--delay", "0", "--require-clear", "--max-failures", "2"}, "--jsonl"));
        assertEquals(0, result.exitCode(), result::toString);
        String[] lines = result.out().split("\n");
        List<String> types = new ArrayList<>();
        for (String line : lines) {
            JsonNode node = JSON.readTree(line);
            assertTrue(node.isObject(), line);
            assertTrue(node.get("time").isTextual() && node.get("t_ms").isIntegralNumber(), line);
            types.add(node.get("type").asText());
        }
        assertEquals("discovered", types.get(0), result::toString);
        assertEquals("summary", types.get(types.size() - 1), result::toString);
        assertEquals(2, types.stream().filter("batch_started"::equals).count(), result::toString);
        assertEquals(2, types.stream().filter("batch_done"::equals).count(), result::toString);
        // Each of the 6 pending nodes: its reply, rebooting, back.
        assertEquals(18, types.stream().filter("node"::equals).count(), result::toString);

        ObjectNode summary = (ObjectNode) JSON.readTree(lines[lines.length - 1]);
        summary.remove(List.of("type", "time", "t_ms"));
        assertValid(summary, result);
        assertEquals(6, summary.get("summary").get("rebooted").asInt(), result::toString);
    }

    @Test
    void theSchemaRejectsWhatItShould() throws Exception {
        Cli.Result result = Cli.run(withBroker(new String[] {"ping"}, "--json"));
        ObjectNode report = (ObjectNode) JSON.readTree(result.out());
        report.put("exit_code", 2);
        assertTrue(!schema.validate(report).isEmpty(), "a report never has exit code 2");
        report.put("exit_code", 0);
        ((ObjectNode) report.get("nodes").get(0)).put("status", "rebooting");
        assertTrue(!schema.validate(report).isEmpty(), "rebooting is never a final status");
    }

    @Test
    void everyRequestAndReplyOfARunPassesThroughTheBrokersSchemaCheck() {
        int before = fixture.broker.schemas().checked();

        Cli.Result result = Cli.run(withBroker(new String[] {"status"}, "--json"));

        assertEquals(0, result.exitCode(), result::toString);
        // discover and status: one request and twelve replies each (the lab's events come on top)
        assertTrue(fixture.broker.schemas().checked() - before >= 26, "checked " + fixture.broker.schemas().checked());
        fixture.broker.schemas().assertNoViolations();
    }

    private static void assertValid(JsonNode report, Cli.Result result) {
        Set<ValidationMessage> errors = schema.validate(report);
        assertTrue(errors.isEmpty(), () -> errors + "\n" + result);
    }

    private static String[] withBroker(String[] args, String format) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add(format);
        all.add("--broker");
        all.add(fixture.url());
        return all.toArray(String[]::new);
    }
}
