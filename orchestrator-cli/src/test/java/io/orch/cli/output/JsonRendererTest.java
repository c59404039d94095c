package io.orch.cli.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orch.cli.run.NodeResult;
import io.orch.protocol.envelope.Codec;
import io.orch.protocol.envelope.Reply;
import io.orch.protocol.envelope.ReplyStatus;
import io.orch.protocol.payload.NoData;
import io.orch.protocol.payload.Reason;
import io.orch.protocol.payload.RebootData;
import io.orch.protocol.payload.RebootParams;
import io.orch.protocol.payload.RebootReport;
import io.orch.protocol.payload.ReplyData;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code --json}: a row's {@code data} is the reply's data, byte for byte as the node's codec wrote it. */
class JsonRendererTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Codec CODEC = new Codec();

    private static JsonNode dataOnTheWire(ReplyData data) throws Exception {
        Reply reply = new Reply("r-1", "web01", "reboot", true, ReplyStatus.SCHEDULED, "scheduled", data,
                Instant.parse("2026-11-22T02:00:00Z"));
        return JSON.readTree(CODEC.encode(reply)).get("data");
    }

    @Test
    void aRowsDataIsTheReplyDataAsTheWireCarriesIt() throws Exception {
        List<Reason> reasons = List.of(new Reason("kernel_update", "a newer kernel is installed",
                Map.of("running", "6.1.0-1", "newest", "6.1.0-2")));
        RebootData data = new RebootData(new RebootReport(RebootParams.When.PENDING, false, 60,
                RebootParams.DEFAULT_MESSAGE, true, List.of("kernel_update"), List.of(), List.of(),
                RebootReport.Outcome.SCHEDULED, "shutdown -r +1"), reasons, Map.of(), "b1");
        NodeResult row = new NodeResult("web01", "scheduled", "scheduled", List.of("kernel_update"), data, 12);

        JsonNode printed = JsonRenderer.node(row).get("data");

        assertEquals(dataOnTheWire(data).toString(), printed.toString());
    }

    @Test
    void aRowWithoutDataPrintsTheEmptyObject() {
        NodeResult row = NodeResult.noResponse("web01", "did not answer");

        assertEquals("{}", JsonRenderer.node(row).get("data").toString());
        assertEquals(NoData.INSTANCE, row.data());
    }
}
