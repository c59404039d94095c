package io.orch.protocol.envelope;

import java.time.Instant;
import io.orch.protocol.payload.EventData;
import io.orch.protocol.payload.NoData;
import java.util.Objects;

/** Something that happened to a node, published on the collective's events topic. */
public record Event(
        EventType type,
        String node,
        String bootId,
        String requestId,
        Instant time,
        EventData data) {

    /** v2: the reasons of {@code rebooting} and {@code rebooted} are reason objects, as in replies. */
    public static final String PROTOCOL = "orch.event.v2";

    public Event {
        Objects.requireNonNull(type, "type == null");
        Objects.requireNonNull(node, "node == null");
        Objects.requireNonNull(time, "time == null");
        bootId = bootId == null ? "" : bootId;
        requestId = requestId == null ? "" : requestId;
        data = data == null ? NoData.INSTANCE : data;
    }
}
