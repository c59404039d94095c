package io.orch.responder;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.orch.protocol.envelope.Codec;
import io.orch.protocol.envelope.Event;
import io.orch.protocol.envelope.Reply;
import java.util.Map;

/** The {@code data} of a reply or event exactly as it goes on the wire, for assertions on its fields. */
public final class WireData {
    private static final Codec CODEC = new Codec();

    private WireData() {
    }

    public static Map<String, Object> of(Reply reply) {
        return dataOf(CODEC.encode(reply));
    }

    public static Map<String, Object> of(Event event) {
        return dataOf(CODEC.encode(event));
    }

    /** The names of an event's {@code reasons} (reason objects on the wire). */
    public static java.util.List<Object> reasonNames(Event event) {
        Object reasons = of(event).get("reasons");
        return ((java.util.List<?>) reasons).stream().map(r -> ((Map<?, ?>) r).get("name")).map(Object.class::cast)
                .toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> dataOf(String json) {
        try {
            return CODEC.mapper().convertValue(CODEC.mapper().readTree(json).get("data"), Map.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
