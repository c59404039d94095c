package io.orch.responder.resource;

import io.orch.protocol.envelope.Codec;
import io.orch.protocol.envelope.InvalidMessageException;
import io.orch.protocol.envelope.Reply;
import io.orch.protocol.envelope.ReplyStatus;
import io.orch.protocol.payload.RebootData;
import io.orch.protocol.payload.RebootReport;
import io.orch.responder.WireData;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A resource from params as a reboot request carries them, and its report as the wire carries it. */
final class Params {
    private static final Codec CODEC = new Codec();

    private Params() {
    }

    /** @throws IllegalArgumentException with the message a node answers {@code invalid} with */
    static RebootResource resource(Map<String, Object> params) {
        try {
            return RebootResource.of(CODEC.decodeRebootParams(params));
        } catch (InvalidMessageException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> wire(RebootReport report) {
        Reply reply = new Reply("r", "n", "reboot", true, ReplyStatus.OK, "", new RebootData(report, List.of(),
                Map.of(), "b"), Instant.EPOCH);
        return (Map<String, Object>) WireData.of(reply).get("resource");
    }
}
