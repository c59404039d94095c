package io.orch.protocol.envelope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orch.protocol.filter.FilterSpec;
import io.orch.protocol.payload.EventData;
import io.orch.protocol.payload.NoData;
import io.orch.protocol.payload.Reason;
import io.orch.protocol.payload.RebootData;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** What goes out through the codec comes back equal: requests (inside the secure wrapper), replies and events. */
class CodecRoundTripTest {

    private static final Instant CREATED = Instant.parse("2026-01-31T02:00:00.123456789Z");

    private final Codec codec = new Codec();
    private final ObjectMapper json = new ObjectMapper();

    static Stream<Request> requests() {
        return Stream.of(
                Request.create("orch", Action.PING, null, Map.of(), null, null, CREATED, Duration.ofSeconds(60)),
                Request.create("prod", Action.DISCOVER,
                        new FilterSpec(List.of("reboot_pending=true"), List.of(), null), Map.of(),
                        "alice", "ops01", CREATED, Duration.ofSeconds(30)),
                Request.create("orch", Action.REBOOT,
                        new FilterSpec(List.of("os.family=Debian", "uptime_s>86400"), List.of("/^web\\d+$/", "db01"),
                                "not kernel.release=~/rt/"),
                        Map.of("noop", true, "delay_s", 300, "message", "patch night \"K\" ü"),
                        "cron", "jobs.example.com", CREATED, Duration.ofMinutes(5)),
                Request.create("orch", Action.STATUS, FilterSpec.EMPTY,
                        Map.of("facts", List.of("os.family", "kernel.release")), "ci", "runner-7", CREATED,
                        Duration.ofSeconds(1)),
                Request.create("orch", Action.CANCEL, null, Map.of(), "bob", "", CREATED, Duration.ofHours(1)));
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("requests")
    void requestSurvivesEncodeAndDecode(Request request) throws Exception {
        assertEquals(request, codec.decodeRequest(codec.encodeRequest(request)));
    }

    @Test
    void requestTravelsAsAStringInsideTheSecureEnvelope() throws Exception {
        Request request = requests().skip(2).findFirst().orElseThrow();

        JsonNode outer = json.readTree(codec.encodeRequest(request));

        assertEquals("orch.secure.v1", outer.get("protocol").asText());
        assertTrue(outer.get("request").isTextual(), "inner request is a string: " + outer);
        assertEquals(codec.encodeInnerRequest(request), outer.get("request").asText());
        assertTrue(outer.get("signer").isNull());
        assertTrue(outer.get("signature").isNull());
        JsonNode inner = json.readTree(outer.get("request").asText());
        assertEquals("orch.request.v1", inner.get("protocol").asText());
        assertEquals(request.id(), inner.get("id").asText());
        assertEquals("reboot", inner.get("action").asText());
        assertEquals("2026-01-31T02:00:00.123456789Z", inner.get("created_at").asText());
        assertEquals(300, inner.get("ttl_s").asInt());
    }

    @ParameterizedTest
    @EnumSource(SecureEnvelope.Kind.class)
    void envelopeKeepsItsMessageSignerCertificateAndSignature(SecureEnvelope.Kind kind) throws Exception {
        SecureEnvelope envelope = new SecureEnvelope(kind, "{\"any\":\"bytes\"}", "ops", "-----BEGIN CERTIFICATE-----",
                "c2lnbmF0dXJl");
        String json = codec.encodeEnvelope(envelope);
        assertEquals(envelope, codec.decodeEnvelope(json));
        assertEquals(envelope, codec.decodeEnvelope(json, kind));
    }

    @Test
    void anEnvelopeCarriesExactlyOneMessageOfTheKindAsked() throws Exception {
        String reply = codec.encodeEnvelope(SecureEnvelope.unsigned(SecureEnvelope.Kind.REPLY, "{}"));
        InvalidMessageException wrongKind = assertThrows(InvalidMessageException.class,
                () -> codec.decodeEnvelope(reply, SecureEnvelope.Kind.REQUEST));
        assertEquals("expected a request in the envelope, got a reply", wrongKind.getMessage());
        InvalidMessageException two = assertThrows(InvalidMessageException.class, () -> codec.decodeEnvelope(
                "{\"protocol\":\"orch.secure.v1\",\"request\":\"{}\",\"event\":\"{}\"}"));
        assertEquals("envelope carries both 'request' and 'event'; exactly one message per envelope", two.getMessage());
        InvalidMessageException none = assertThrows(InvalidMessageException.class,
                () -> codec.decodeEnvelope("{\"protocol\":\"orch.secure.v1\"}"));
        assertTrue(none.getMessage().startsWith("envelope carries no message"), none.getMessage());
    }

    @Test
    void aRoutedRequestNamesItsTargetAndReplyToInTheSignedBytes() throws Exception {
        Request request = requests().findFirst().orElseThrow().routed("web01", "ID:cli-1:1:1");
        JsonNode inner = json.readTree(codec.encodeInnerRequest(request));
        assertEquals("web01", inner.get("target").asText());
        assertEquals("ID:cli-1:1:1", inner.get("reply_to").asText());
        assertEquals(request, codec.decodeRequest(codec.encodeRequest(request)));
    }

    @Test
    void unknownFieldsAreIgnoredInBothLayers() throws Exception {
        Request request = requests().skip(1).findFirst().orElseThrow();
        ObjectNode inner = (ObjectNode) json.readTree(codec.encodeInnerRequest(request));
        inner.put("priority", "high");
        inner.putObject("trace").put("span", 42);
        ((ObjectNode) inner.get("filter")).putArray("class").add("webserver");
        ObjectNode outer = json.createObjectNode();
        outer.put("protocol", "orch.secure.v1");
        outer.put("request", json.writeValueAsString(inner));
        outer.put("compression", "none");

        assertEquals(request, codec.decodeRequest(json.writeValueAsString(outer)));
    }

    @Test
    void absentFilterParamsCallerAndSenderDecodeAsEmpty() throws Exception {
        String inner = "{\"protocol\":\"orch.request.v1\",\"id\":\"r1\",\"collective\":\"orch\",\"action\":\"ping\","
                + "\"created_at\":\"2026-01-31T02:00:00Z\",\"ttl_s\":60}";

        Request request = codec.decodeInnerRequest(inner);

        assertEquals(FilterSpec.EMPTY, request.filter());
        assertEquals(Map.of(), request.params());
        assertEquals("", request.caller());
        assertEquals("", request.sender());
        assertEquals(Instant.parse("2026-01-31T02:01:00Z"), request.expiresAt());
    }

    @Test
    void createdAtWithAnOffsetIsReadAsTheSameInstant() throws Exception {
        String inner = "{\"protocol\":\"orch.request.v1\",\"id\":\"r1\",\"collective\":\"orch\",\"action\":\"ping\","
                + "\"created_at\":\"2026-01-31T03:00:00+01:00\",\"ttl_s\":60}";
        assertEquals(Instant.parse("2026-01-31T02:00:00Z"), codec.decodeInnerRequest(inner).createdAt());
    }

    @ParameterizedTest
    @EnumSource(ReplyStatus.class)
    void replySurvivesEncodeAndDecodeWithEveryStatus(ReplyStatus status) throws Exception {
        RebootData data = new RebootData(null, List.of(new Reason("reboot_required", "/run/reboot-required exists",
                Map.of("file", "/run/reboot-required", "packages", List.of("linux-image-6.1.0-10-amd64")))),
                Map.of(), "8d1c7a9e");
        Reply reply = new Reply("req-1", "web01", "reboot", true, status, "reboot in 60s (reboot_required)", data,
                CREATED);

        Reply back = codec.decodeReply(codec.encode(reply));

        assertEquals(reply, back);
    }

    @Test
    void replyWithoutOptionalFieldsDecodesWithDefaults() throws Exception {
        Reply reply = codec.decodeReply("{\"protocol\":\"orch.reply.v2\",\"request_id\":\"r\",\"node\":\"n\","
                + "\"status\":\"invalid\",\"time\":\"2026-01-31T02:00:00Z\"}");
        assertEquals("", reply.action());
        assertEquals("", reply.message());
        assertFalse(reply.matched());
        assertEquals(NoData.INSTANCE, reply.data());
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void eventSurvivesEncodeAndDecodeWithEveryType(EventType type) throws Exception {
        EventData data = io.orch.protocol.payload.Samples.eventData().stream()
                .filter(sample -> sample.name().equals(type.wireName())).findFirst()
                .map(io.orch.protocol.payload.Samples.Sample::value).orElse(NoData.INSTANCE);
        Event event = new Event(type, "web01", "8d1c7a9e", "req-1", CREATED, data);
        assertEquals(event, codec.decodeEvent(codec.encode(event)));
    }

    @Test
    void eventWithoutBootIdOrRequestIdDecodesWithEmptyStrings() throws Exception {
        Event event = new Event(EventType.ANNOUNCE, "web01", null, null, CREATED, null);

        Event back = codec.decodeEvent(codec.encode(event));

        assertEquals(event, back);
        assertEquals("", back.requestId());
        assertEquals("", back.bootId());
    }

    @Test
    void decodedRequestParamsKeepTheirJsonTypes() throws Exception {
        Request request = Request.create("orch", Action.REBOOT, null, Map.of("noop", true, "force", "true"), null,
                null, CREATED, Duration.ofSeconds(60));

        Request back = codec.decodeRequest(codec.encodeRequest(request));

        assertEquals(Boolean.TRUE, back.params().get("noop"));
        assertEquals("true", back.params().get("force"), "the string \"true\" stays a string, not a flag");
        assertNull(back.params().get("absent"));
    }
}
