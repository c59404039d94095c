package io.orch.protocol.payload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.orch.protocol.envelope.Action;
import io.orch.protocol.envelope.Codec;
import io.orch.protocol.envelope.EventType;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every payload record encodes to exactly the JSON nodes and the CLI send, and decodes back to itself. */
class PayloadRoundTripTest {
    private final Codec codec = new Codec();

    static Stream<Samples.Sample<ActionParams>> params() {
        return Samples.params().stream();
    }

    static Stream<Samples.Sample<ReplyData>> replyData() {
        return Samples.replyData().stream();
    }

    static Stream<Samples.Sample<EventData>> eventData() {
        return Samples.eventData().stream();
    }

    @ParameterizedTest
    @MethodSource("params")
    void paramsEncodeToTheWireBytesAndBack(Samples.Sample<ActionParams> sample) throws Exception {
        String json = write(codec.encodeParams(sample.value()));
        assertEquals(sample.json(), json);
        assertEquals(sample.value(), codec.decodeParams(Action.fromWire(sample.name()).orElseThrow(), read(json)));
    }

    @ParameterizedTest
    @MethodSource("replyData")
    void replyDataEncodesToTheWireBytesAndBack(Samples.Sample<ReplyData> sample) throws Exception {
        String json = write(codec.encodeReplyData(sample.value()));
        assertEquals(sample.json(), json);
        assertEquals(sample.value(), codec.decodeReplyData(sample.name(), read(json)));
    }

    @ParameterizedTest
    @MethodSource("eventData")
    void eventDataEncodesToTheWireBytesAndBack(Samples.Sample<EventData> sample) throws Exception {
        String json = write(codec.encodeEventData(sample.value()));
        assertEquals(sample.json(), json);
        assertEquals(sample.value(), codec.decodeEventData(EventType.fromWire(sample.name()).orElseThrow(), read(json)));
    }

    private String write(Map<String, Object> map) throws Exception {
        return codec.mapper().writeValueAsString(map);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> read(String json) throws Exception {
        return codec.mapper().readValue(json, Map.class);
    }
}
