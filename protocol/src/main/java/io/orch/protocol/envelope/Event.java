package io.orch.protocol.envelope;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/** Something that happened to a node, published on the collective's events topic. */
public record Event(
        EventType type,
        String node,
        String bootId,
        String requestId,
        Instant time,
        Map<String, Object> data) {

    public static final String PROTOCOL = "orch.event.v1";

    public Event {
        Objects.requireNonNull(type, "type == null");
        Objects.requireNonNull(node, "node == null");
        Objects.requireNonNull(time, "time == null");
        bootId = bootId == null ? "" : bootId;
        requestId = requestId == null ? "" : requestId;
        data = Values.immutableCopy(data);
    }
}
