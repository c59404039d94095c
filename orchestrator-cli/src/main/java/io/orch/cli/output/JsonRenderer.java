package io.orch.cli.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;

/** One JSON document per run, holding everything the table shows and more (timings, reply data). */
public final class JsonRenderer {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonRenderer() {
    }

    public static ObjectNode toJson(RunReport report) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("action", report.action());
        root.put("noop", report.noop());
        root.set("request_ids", MAPPER.valueToTree(report.requestIds()));
        root.set("filter", MAPPER.valueToTree(report.filter()));
        ArrayNode nodes = root.putArray("nodes");
        for (NodeResult node : report.nodes()) {
            ObjectNode n = nodes.addObject();
            n.put("identity", node.identity());
            n.put("status", node.status());
            n.put("message", node.message());
            n.set("reasons", MAPPER.valueToTree(node.reasons()));
            if (node.replyMs() >= 0) {
                n.put("reply_ms", node.replyMs());
            } else {
                n.putNull("reply_ms");
            }
            n.set("data", MAPPER.valueToTree(node.data()));
        }
        root.set("no_response", MAPPER.valueToTree(report.noResponse()));
        root.put("not_matched", report.notMatched());
        root.set("summary", MAPPER.valueToTree(report.counts()));
        root.put("summary_line", report.summaryLine());
        root.set("timings_ms", MAPPER.valueToTree(report.timingsMs()));
        root.put("exit_code", report.exitCode());
        return root;
    }

    public static void render(RunReport report, PrintWriter out) {
        try {
            out.println(MAPPER.writeValueAsString(toJson(report)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON report", e);
        }
        out.flush();
    }
}
