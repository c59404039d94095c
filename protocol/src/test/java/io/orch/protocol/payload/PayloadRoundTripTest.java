package io.orch.protocol.payload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.orch.protocol.envelope.Action;
import io.orch.protocol.envelope.Codec;
import io.orch.protocol.envelope.Event;
import io.orch.protocol.envelope.EventType;
import io.orch.protocol.envelope.Reply;
import io.orch.protocol.envelope.ReplyStatus;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every payload record encodes to exactly the JSON nodes and the CLI send, and decodes back to itself. */
class PayloadRoundTripTest {
    private static final Instant TIME = Instant.parse("2026-11-22T02:29:15Z");
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
        String reply = codec.encode(new Reply("r1", "lab-0001", sample.name(), true, ReplyStatus.OK, "", sample.value(),
                TIME));
        assertEquals(sample.json(), dataOf(reply));
        assertEquals(sample.value(), codec.decodeReply(reply).data());
    }

    @ParameterizedTest
    @MethodSource("eventData")
    void eventDataEncodesToTheWireBytesAndBack(Samples.Sample<EventData> sample) throws Exception {
        String event = codec.encode(new Event(EventType.fromWire(sample.name()).orElseThrow(), "lab-0001", "b1", "r1",
                TIME, sample.value()));
        assertEquals(sample.json(), dataOf(event));
        assertEquals(sample.value(), codec.decodeEvent(event).data());
    }

    /** The {@code data} of an encoded message, as the bytes it was written with. */
    private String dataOf(String message) throws Exception {
        return codec.mapper().writeValueAsString(codec.mapper().readTree(message).get("data"));
    }

    private String write(Map<String, Object> map) throws Exception {
        return codec.mapper().writeValueAsString(map);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> read(String json) throws Exception {
        return codec.mapper().readValue(json, Map.class);
    }
}
