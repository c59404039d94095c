package io.orch.cli.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orch.cli.run.BatchResult;
import io.orch.cli.run.NodeResult;
import io.orch.cli.run.RunListener;
import io.orch.cli.run.RunReport;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;

/**
 * {@code --jsonl}: one JSON object per line, written and flushed as it happens, so a script can
 * act on each node while the run goes on. Every line has {@code type}, {@code time} and
 * {@code t_ms} (since the run started); the last line is the {@code summary}, which is the
 * whole {@code --json} report.
 */
public final class JsonlRenderer implements RunListener {
    private final PrintWriter out;
    private final long start;

    public JsonlRenderer(PrintWriter out, long runStartNanos) {
        this.out = out;
        this.start = runStartNanos;
    }

    @Override
    public void discovered(String requestId, int matched, long notMatched, List<String> noResponse, long elapsedMs) {
        ObjectNode line = line("discovered");
        line.put("request_id", requestId);
        line.put("matched", matched);
        line.put("not_matched", notMatched);
        line.set("no_response", JsonRenderer.MAPPER.valueToTree(noResponse));
        line.put("elapsed_ms", elapsedMs);
        write(line);
    }

    @Override
    public void batchStarted(int number, int batches, String requestId, List<String> nodes) {
        ObjectNode line = line("batch_started");
        line.put("batch", number);
        line.put("batches", batches);
        line.put("request_id", requestId);
        line.set("nodes", JsonRenderer.MAPPER.valueToTree(nodes));
        write(line);
    }

    @Override
    public void node(NodeResult node) {
        ObjectNode line = line("node");
        line.setAll(JsonRenderer.node(node));
        write(line);
    }

    @Override
    public void batchDone(BatchResult batch) {
        ObjectNode line = line("batch_done");
        line.setAll(JsonRenderer.batch(batch));
        write(line);
    }

    @Override
    public void sleeping(long millis) {
        ObjectNode line = line("sleeping");
        line.put("ms", millis);
        write(line);
    }

    @Override
    public void finished(RunReport report) {
        ObjectNode line = line("summary");
        line.setAll(JsonRenderer.toJson(report));
        write(line);
    }

    private ObjectNode line(String type) {
        ObjectNode line = JsonRenderer.MAPPER.createObjectNode();
        line.put("type", type);
        line.put("time", Instant.now().toString());
        line.put("t_ms", (System.nanoTime() - start) / 1_000_000);
        return line;
    }

    private synchronized void write(ObjectNode line) {
        try {
            out.println(JsonRenderer.MAPPER.writeValueAsString(line));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON line", e);
        }
        out.flush();
    }
}
