package io.orch.cli.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orch.cli.run.BatchResult;
import io.orch.cli.run.NodeResult;
import io.orch.cli.run.RunReport;
import io.orch.protocol.envelope.Codec;
import java.io.PrintWriter;

/**
 * One JSON document per run, holding everything the table shows and more (batches, timings,
 * reply data). Its shape is {@code docs/report.schema.json}; a test keeps the two in step.
 */
public final class JsonRenderer {
    /** Node text stays exact, but control, bidi and zero-width characters are written escaped (SafeText). */
    static final ObjectMapper MAPPER = SafeText.escapingInJson(new ObjectMapper());
    /** Writes a row's reply data as the node sent it ({@code orch.reply.v2}). */
    private static final Codec CODEC = new Codec();

    private JsonRenderer() {
    }

    public static ObjectNode toJson(RunReport report) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("protocol", "orch.report.v1");
        root.put("action", report.action());
        root.put("noop", report.noop());
        root.set("request_ids", MAPPER.valueToTree(report.requestIds()));
        root.set("filter", MAPPER.valueToTree(report.filter()));
        root.set("options", MAPPER.valueToTree(report.options()));
        ArrayNode nodes = root.putArray("nodes");
        report.nodes().forEach(node -> nodes.add(node(node)));
        ArrayNode batches = root.putArray("batches");
        report.batches().forEach(batch -> batches.add(batch(batch)));
        root.set("no_response", MAPPER.valueToTree(report.noResponse()));
        root.set("not_back", MAPPER.valueToTree(report.identities(NodeResult.NOT_BACK)));
        root.set("not_started", MAPPER.valueToTree(report.identities(NodeResult.NOT_STARTED)));
        root.set("in_flight", MAPPER.valueToTree(report.inFlight().stream().map(NodeResult::identity).toList()));
        root.put("not_matched", report.notMatched());
        ArrayNode unverified = root.putArray("unverified");
        report.unverified().forEach(u -> unverified.addObject().put("kind", u.kind()).put("claimed_node", u.claimed())
                .put("why", u.why()));
        root.put("dropped", report.dropped());
        if (report.inventory() != null) {
            ObjectNode inventory = root.putObject("inventory");
            inventory.put("source", report.inventory().source());
            inventory.put("known", report.inventory().known());
            inventory.put("expected", report.inventory().expected());
            inventory.set("stopped", MAPPER.valueToTree(report.inventory().stopped()));
            if (report.inventory().note() == null) {
                inventory.putNull("note");
            } else {
                inventory.put("note", report.inventory().note());
            }
        }
        if (report.stopReason() == null) {
            root.putNull("stop_reason");
        } else {
            root.put("stop_reason", report.stopReason());
        }
        root.set("summary", MAPPER.valueToTree(report.counts()));
        root.put("summary_line", report.summaryLine());
        root.set("timings_ms", MAPPER.valueToTree(report.timingsMs()));
        root.put("exit_code", report.exitCode());
        return root;
    }

    static ObjectNode node(NodeResult node) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("identity", node.identity());
        n.put("status", node.status());
        n.put("message", node.message());
        n.set("reasons", MAPPER.valueToTree(node.reasons()));
        if (node.batch() > 0) {
            n.put("batch", node.batch());
            n.put("request_id", node.requestId());
        } else {
            n.putNull("batch");
            n.putNull("request_id");
        }
        if (node.replyMs() >= 0) {
            n.put("reply_ms", node.replyMs());
        } else {
            n.putNull("reply_ms");
        }
        n.set("timings_ms", MAPPER.valueToTree(node.timingsMs()));
        if (node.lastSeen() != null) {
            n.put("last_seen", node.lastSeen());
        }
        if (node.lastAnnounced() != null) {
            n.put("last_announced", node.lastAnnounced());
        }
        n.set("data", MAPPER.valueToTree(CODEC.encodeReplyData(node.data())));
        return n;
    }

    static ObjectNode batch(BatchResult batch) {
        ObjectNode b = MAPPER.createObjectNode();
        b.put("number", batch.number());
        b.put("request_id", batch.requestId());
        b.set("nodes", MAPPER.valueToTree(batch.nodes()));
        b.put("outcome", batch.outcome());
        b.put("started_ms", batch.startedMs());
        b.put("replied_ms", batch.repliedMs());
        putOptional(b, "last_back_ms", batch.lastBackMs());
        b.put("ended_ms", batch.endedMs());
        putOptional(b, "since_previous_back_ms", batch.sincePreviousBackMs());
        return b;
    }

    private static void putOptional(ObjectNode node, String name, long value) {
        if (value >= 0) {
            node.put(name, value);
        } else {
            node.putNull(name);
        }
    }

    public static void render(RunReport report, PrintWriter out) {
        try {
            out.println(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(toJson(report)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON report", e);
        }
        out.flush();
    }
}
