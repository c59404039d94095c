package io.orch.cli.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orch.cli.run.BatchResult;
import io.orch.cli.run.NodeResult;
import io.orch.cli.run.RunReport;
import io.orch.protocol.payload.LoopGuardState;
import io.orch.protocol.payload.StatusData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code --jsonl}: every event is exactly one line holding one JSON object. */
class JsonlRendererTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final NodeResult AWKWARD = new NodeResult("lab-0001", "failed",
            "line one\nline two \"quoted\"\r\n\ttabbed \u2028 end", List.of("kernel_update"),
            new StatusData(true, List.of(), Map.of(), "b1", 60, Map.of(), null, null, LoopGuardState.CLEAR, null,
                    Map.of("note", "x\ny")), 12).inBatch(1, "r-1");

    private static final RunReport REPORT = new RunReport("reboot", false, Map.of("discover", List.of("d-1"),
            "reboot", List.of("r-1")), Map.of(), List.of(AWKWARD), 0, Map.of("total", 99L),
            List.of(new BatchResult(1, "r-1", List.of("lab-0001"), 0, 10, -1, 20, -1, "done")), null, Map.of());

    static Stream<Arguments> calls() {
        return Stream.of(
                call("discovered", r -> r.discovered("d-1", 3, 1, List.of("lab-0009"), 1200)),
                call("batch_started", r -> r.batchStarted(1, 2, "r-1", List.of("lab-0001", "lab-0002"))),
                call("node", r -> r.node(AWKWARD)),
                call("batch_done", r -> r.batchDone(REPORT.batches().get(0))),
                call("sleeping", r -> r.sleeping(5000)),
                call("summary", r -> r.finished(REPORT)));
    }

    private static Arguments call(String type, Consumer<JsonlRenderer> call) {
        return Arguments.of(type, Named.of(type, call));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("calls")
    void eachCallWritesExactlyOneLineThatIsAJsonObjectWithTypeTimeAndElapsed(String type,
                                                                             Consumer<JsonlRenderer> call)
            throws Exception {
        StringWriter out = new StringWriter();
        long runStart = System.nanoTime() - TimeUnit.SECONDS.toNanos(5);
        Instant before = Instant.now();

        call.accept(new JsonlRenderer(new PrintWriter(out), runStart));

        String text = out.toString();
        assertTrue(text.endsWith(System.lineSeparator()), text);
        String line = text.substring(0, text.length() - System.lineSeparator().length());
        assertTrue(line.indexOf('\n') < 0 && line.indexOf('\r') < 0, "more than one line:\n" + text);
        JsonNode json = JSON.readTree(line);
        assertTrue(json.isObject(), line);
        assertEquals(type, json.path("type").asText(), line);
        Instant time = Instant.parse(json.path("time").asText());
        assertTrue(!time.isBefore(before.minusMillis(1)) && !time.isAfter(Instant.now()), line);
        assertTrue(json.path("t_ms").isIntegralNumber(), line);
        long tMs = json.path("t_ms").asLong();
        assertTrue(tMs >= 5000 && tMs < 60_000, "t_ms counts from the run's start: " + line);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("calls")
    void theLineIsWrittenAndFlushedAtOnce(String type, Consumer<JsonlRenderer> call) {
        StringWriter sink = new StringWriter();
        StringBuilder flushed = new StringBuilder();
        PrintWriter out = new PrintWriter(sink) {
            @Override
            public void flush() {
                super.flush();
                flushed.setLength(0);
                flushed.append(sink);
            }
        };

        call.accept(new JsonlRenderer(out, System.nanoTime()));

        assertEquals(sink.toString(), flushed.toString(), "written but not flushed");
    }

    @org.junit.jupiter.api.Test
    void aWholeRunIsOneObjectPerLineEndingWithTheSummary() throws Exception {
        StringWriter out = new StringWriter();
        JsonlRenderer renderer = new JsonlRenderer(new PrintWriter(out), System.nanoTime());
        calls().forEach(args -> {
            @SuppressWarnings("unchecked")
            Consumer<JsonlRenderer> call = ((Named<Consumer<JsonlRenderer>>) args.get()[1]).getPayload();
            call.accept(renderer);
        });

        List<String> lines = out.toString().lines().toList();
        assertEquals(6, lines.size(), out.toString());
        for (String line : lines) {
            assertTrue(JSON.readTree(line).isObject(), line);
        }
        JsonNode summary = JSON.readTree(lines.get(5));
        assertEquals("summary", summary.path("type").asText());
        assertEquals(1, summary.path("exit_code").asInt());
        assertEquals("line one\nline two \"quoted\"\r\n\ttabbed \u2028 end",
                summary.path("nodes").get(0).path("message").asText());
    }
}
