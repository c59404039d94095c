package io.orch.protocol.envelope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orch.protocol.Limits;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Everything a node can be sent that is not a request it can act on ends as one {@link
 * InvalidMessageException} whose message says what is wrong; the request id comes with it
 * whenever the inner request's id could still be read.
 */
class CodecRejectsBadRequestsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ID = "5f0c9a2e-0000-4000-8000-000000000001";

    private final Codec codec = new Codec();

    /** A valid inner request, changed by {@code change}, wrapped in a valid envelope. */
    static String wrapped(Consumer<ObjectNode> change) {
        return wrap(inner(change));
    }

    /** A valid inner request, changed by {@code change}. */
    static String inner(Consumer<ObjectNode> change) {
        ObjectNode inner = JSON.createObjectNode();
        inner.put("protocol", "orch.request.v1");
        inner.put("id", ID);
        inner.put("collective", "orch");
        inner.put("action", "reboot");
        inner.putObject("filter").putArray("fact").add("reboot_pending=true");
        inner.putObject("params").put("noop", true);
        inner.put("caller", "alice");
        inner.put("sender", "ops01");
        inner.put("created_at", "2026-01-31T02:00:00Z");
        inner.put("ttl_s", 60);
        change.accept(inner);
        return inner.toString();
    }

    static String wrap(String inner) {
        ObjectNode outer = JSON.createObjectNode();
        outer.put("protocol", "orch.secure.v1");
        outer.put("request", inner);
        return outer.toString();
    }

    static Stream<Arguments> badBodies() {
        return Stream.of(
                arguments("malformed JSON", "{\"protocol\":\"orch.secure.v1\",", "malformed JSON"),
                arguments("not JSON at all", "reboot everything now", "malformed JSON"),
                arguments("JSON array", "[{\"protocol\":\"orch.secure.v1\"}]", "body is not a JSON object"),
                arguments("JSON string", "\"orch.secure.v1\"", "body is not a JSON object"),
                arguments("JSON number", "42", "body is not a JSON object"),
                arguments("JSON null", "null", "body is not a JSON object"),
                arguments("empty body", "", "empty body"),
                arguments("blank body", " \n\t ", "empty body"),
                arguments("envelope without protocol", "{\"request\":\"{}\"}",
                        "envelope field 'protocol' is missing"),
                arguments("unknown envelope protocol", "{\"protocol\":\"orch.secure.v2\",\"request\":\"{}\"}",
                        "unsupported envelope protocol 'orch.secure.v2'; this node speaks 'orch.secure.v1'"),
                arguments("envelope protocol of another system", "{\"protocol\":\"choria:request:1\"}",
                        "unsupported envelope protocol 'choria:request:1'"),
                arguments("envelope protocol not a string", "{\"protocol\":1,\"request\":\"{}\"}",
                        "envelope field 'protocol' must be a string, got number"),
                arguments("envelope without request", "{\"protocol\":\"orch.secure.v1\"}",
                        "envelope carries no message: expected a 'request', 'reply', 'event' or 'announcement' field"),
                arguments("inner request as an object, not a string",
                        "{\"protocol\":\"orch.secure.v1\",\"request\":{\"protocol\":\"orch.request.v1\"}}",
                        "envelope field 'request' must be a string, got object"),
                arguments("inner request is not JSON", wrap("{nope"), "malformed JSON"),
                arguments("inner request is empty", wrap(""), "empty body"),
                arguments("inner request is an array", wrap("[]"), "body is not a JSON object"),
                arguments("oversize body", "{\"pad\":\"" + "x".repeat(Limits.MAX_BODY_BYTES) + "\"}",
                        "is over the limit of " + Limits.MAX_BODY_BYTES + " bytes"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBodies")
    void badBodyIsRefusedWithAClearMessage(String what, String body, String expected) {
        InvalidMessageException e = assertThrows(InvalidMessageException.class, () -> codec.decodeRequest(body));
        assertContains(expected, e.getMessage());
        assertEquals(Optional.empty(), e.requestId(), "no id can be read from " + what);
    }

    @Test
    void malformedJsonNamesLineAndColumn() {
        InvalidMessageException e = assertThrows(InvalidMessageException.class,
                () -> codec.decodeRequest("{\n  \"protocol\": orch\n}"));
        assertContains("at line 2, column", e.getMessage());
    }

    @Test
    void bareRequestWithoutEnvelopeIsToldToWrapIt() {
        String bare = inner(n -> { });

        InvalidMessageException e = assertThrows(InvalidMessageException.class, () -> codec.decodeRequest(bare));

        assertContains("unsupported envelope protocol 'orch.request.v1'", e.getMessage());
        assertContains("wrap the request in a orch.secure.v1 envelope", e.getMessage());
    }

    static Stream<Arguments> badInnerRequests() {
        return Stream.of(
                arguments("unknown inner protocol version",
                        (Consumer<ObjectNode>) n -> n.put("protocol", "orch.request.v2"),
                        "unsupported request protocol 'orch.request.v2'; this node speaks 'orch.request.v1'"),
                arguments("inner protocol missing", (Consumer<ObjectNode>) n -> n.remove("protocol"),
                        "request field 'protocol' is missing"),
                arguments("ttl_s as a string", (Consumer<ObjectNode>) n -> n.put("ttl_s", "60"),
                        "request field 'ttl_s' must be a positive whole number, got string"),
                arguments("ttl_s as a fraction", (Consumer<ObjectNode>) n -> n.put("ttl_s", 1.5),
                        "request field 'ttl_s' must be a positive whole number, got number"),
                arguments("ttl_s zero", (Consumer<ObjectNode>) n -> n.put("ttl_s", 0),
                        "request field 'ttl_s' must be a positive whole number"),
                arguments("ttl_s negative", (Consumer<ObjectNode>) n -> n.put("ttl_s", -60),
                        "request field 'ttl_s' must be a positive whole number"),
                arguments("ttl_s beyond int", (Consumer<ObjectNode>) n -> n.put("ttl_s", 1L << 40),
                        "request field 'ttl_s' must be a positive whole number"),
                arguments("ttl_s missing", (Consumer<ObjectNode>) n -> n.remove("ttl_s"),
                        "request field 'ttl_s' is missing"),
                arguments("action as a number", (Consumer<ObjectNode>) n -> n.put("action", 3),
                        "request field 'action' must be a string, got number"),
                arguments("action missing", (Consumer<ObjectNode>) n -> n.putNull("action"),
                        "request field 'action' is missing"),
                arguments("unknown action", (Consumer<ObjectNode>) n -> n.put("action", "format_disk"),
                        "unknown action 'format_disk'; this node knows ping, discover, status, reboot, cancel"),
                arguments("action in upper case", (Consumer<ObjectNode>) n -> n.put("action", "REBOOT"),
                        "unknown action 'REBOOT'"),
                arguments("filter not an object", (Consumer<ObjectNode>) n -> n.put("filter", "reboot_pending=true"),
                        "request field 'filter' must be an object, got string"),
                arguments("filter.fact not an array",
                        (Consumer<ObjectNode>) n -> ((ObjectNode) n.get("filter")).put("fact", "reboot_pending=true"),
                        "request field 'filter.fact' must be an array of strings, got string"),
                arguments("filter.fact with a number",
                        (Consumer<ObjectNode>) n -> ((ObjectNode) n.get("filter")).putArray("fact").add(1),
                        "request field 'filter.fact[]' must be a string, got number"),
                arguments("filter.identity not an array",
                        (Consumer<ObjectNode>) n -> ((ObjectNode) n.get("filter")).putObject("identity"),
                        "request field 'filter.identity' must be an array of strings, got object"),
                arguments("filter.compound not a string",
                        (Consumer<ObjectNode>) n -> ((ObjectNode) n.get("filter")).put("compound", true),
                        "request field 'filter.compound' must be a string, got boolean"),
                arguments("params not an object", (Consumer<ObjectNode>) n -> n.putArray("params").add("noop"),
                        "request field 'params' must be an object, got array"),
                arguments("params as a string", (Consumer<ObjectNode>) n -> n.put("params", "noop=true"),
                        "request field 'params' must be an object, got string"),
                arguments("collective missing", (Consumer<ObjectNode>) n -> n.remove("collective"),
                        "request field 'collective' is missing"),
                arguments("caller not a string", (Consumer<ObjectNode>) n -> n.putObject("caller"),
                        "request field 'caller' must be a string, got object"),
                arguments("created_at not a time", (Consumer<ObjectNode>) n -> n.put("created_at", "yesterday"),
                        "request field 'created_at' must be an RFC 3339 UTC time like 2026-01-31T02:00:00Z, "
                                + "got 'yesterday'"),
                arguments("created_at without zone", (Consumer<ObjectNode>) n -> n.put("created_at",
                        "2026-01-31T02:00:00"), "got '2026-01-31T02:00:00'"),
                arguments("created_at as epoch seconds", (Consumer<ObjectNode>) n -> n.put("created_at", 1769824800),
                        "request field 'created_at' must be a string, got number"),
                arguments("created_at missing", (Consumer<ObjectNode>) n -> n.remove("created_at"),
                        "request field 'created_at' is missing"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInnerRequests")
    void badInnerRequestIsRefusedWithItsIdAndAClearMessage(String what, Consumer<ObjectNode> change, String expected) {
        InvalidMessageException e = assertThrows(InvalidMessageException.class,
                () -> codec.decodeRequest(wrapped(change)));
        assertContains(expected, e.getMessage());
        assertEquals(Optional.of(ID), e.requestId(), "the id is readable, so the node can answer it");
    }

    @Test
    void idOfTheWrongTypeIsRefusedAndNotReported() {
        InvalidMessageException e = assertThrows(InvalidMessageException.class,
                () -> codec.decodeRequest(wrapped(n -> n.put("id", 17))));
        assertContains("request field 'id' must be a string, got number", e.getMessage());
        assertEquals(Optional.empty(), e.requestId());
    }

    static Stream<String> unsafeIds() {
        return Stream.of("", "-rf", "id\nforged log line", "a b", "x".repeat(129), "id;reboot");
    }

    @ParameterizedTest
    @MethodSource("unsafeIds")
    void idThatIsNotPlainIsRefusedAndNotEchoed(String id) {
        InvalidMessageException e = assertThrows(InvalidMessageException.class,
                () -> codec.decodeRequest(wrapped(n -> n.put("id", id))));
        assertContains("request field 'id' must be 1-128 letters", e.getMessage());
        assertEquals(Optional.empty(), e.requestId());
    }

    static Stream<Arguments> ambiguousBodies() {
        String valid = wrapped(n -> { });
        return Stream.of(
                arguments("trailing data after the envelope", valid + " {\"protocol\":\"orch.secure.v1\"}"),
                arguments("duplicate key in the envelope", "{\"protocol\":\"orch.secure.v1\",\"request\":\"{}\","
                        + "\"request\":\"{}\"}"),
                arguments("duplicate key in the request", wrap(inner(n -> { }).replace("\"action\":\"reboot\"",
                        "\"action\":\"ping\",\"action\":\"reboot\""))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ambiguousBodies")
    void bodyThatTwoReadersCouldReadDifferentlyIsRefused(String what, String body) {
        InvalidMessageException e = assertThrows(InvalidMessageException.class, () -> codec.decodeRequest(body));
        assertContains("malformed JSON", e.getMessage());
    }

    @Test
    void bodyOfExactlyTheLimitIsParsedAndOneMoreCharacterIsNot() throws Exception {
        String valid = wrapped(n -> { });
        String atLimit = valid.substring(0, valid.length() - 1) + ",\"pad\":\"" + "x".repeat(
                Limits.MAX_BODY_BYTES - valid.length() - ",\"pad\":\"\"".length()) + "\"}";
        assertEquals(Limits.MAX_BODY_BYTES, atLimit.length());

        assertEquals(ID, codec.decodeRequest(atLimit).id());
        InvalidMessageException e = assertThrows(InvalidMessageException.class,
                () -> codec.decodeRequest(atLimit + " "));
        assertContains("body of " + (Limits.MAX_BODY_BYTES + 1) + " bytes is over the limit", e.getMessage());
    }

    @Test
    void limitCountsUtf8BytesNotCharacters() throws Exception {
        String valid = wrapped(n -> { });
        int room = Limits.MAX_BODY_BYTES - valid.length() - ",\"pad\":\"\"".length();
        String twoByteChars = valid.substring(0, valid.length() - 1) + ",\"pad\":\"" + "é".repeat(room / 2) + "\"}";
        String threeByteChars = valid.substring(0, valid.length() - 1) + ",\"pad\":\"" + "€".repeat(room / 2) + "\"}";
        assertTrue(threeByteChars.length() < Limits.MAX_BODY_BYTES, "few enough characters to pass a char count");

        assertEquals(ID, codec.decodeRequest(twoByteChars).id());
        InvalidMessageException e = assertThrows(InvalidMessageException.class,
                () -> codec.decodeRequest(threeByteChars));
        assertContains("is over the limit of " + Limits.MAX_BODY_BYTES + " bytes", e.getMessage());
    }

    @Test
    void bytesOverTheLimitAreRefusedBeforeDecoding() throws Exception {
        byte[] over = new byte[Limits.MAX_BODY_BYTES + 1];
        InvalidMessageException e = assertThrows(InvalidMessageException.class, () -> Codec.bodyText(over));
        assertContains("over the limit of " + Limits.MAX_BODY_BYTES + " bytes", e.getMessage());

        String valid = wrapped(n -> { });
        assertEquals(valid, Codec.bodyText(valid.getBytes(StandardCharsets.UTF_8)));
    }

    static Stream<Arguments> bodiesOverParserLimits() {
        String deep = "{\"a\":".repeat(200) + "1" + "}".repeat(200);
        String longNumber = "1".repeat(100);
        return Stream.of(
                arguments("deeply nested envelope", "{\"protocol\":\"orch.secure.v1\",\"x\":" + deep + "}",
                        "nesting depth"),
                arguments("deeply nested params", wrap(inner(n -> n.put("params", "PARAMS")).replace("\"PARAMS\"", deep)),
                        "nesting depth"),
                arguments("number of 100 digits", "{\"protocol\":\"orch.secure.v1\",\"n\":" + longNumber + "}",
                        "Number value length"));
    }

    /** Jackson reports its stream limits without a location; that must still be an answer, not a crash. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("bodiesOverParserLimits")
    void bodyOverAParserLimitIsRefusedNotRecursedInto(String what, String body, String expected) {
        InvalidMessageException e = assertThrows(InvalidMessageException.class, () -> codec.decodeRequest(body));
        assertContains("malformed JSON", e.getMessage());
        assertContains(expected, e.getMessage());
    }

    static Stream<Arguments> badReplies() {
        return Stream.of(
                arguments("{\"protocol\":\"orch.reply.v1\",\"request_id\":\"r\",\"node\":\"n\",\"status\":\"ok\","
                        + "\"time\":\"2026-01-31T02:00:00Z\"}", "unsupported reply protocol 'orch.reply.v1'; "
                        + "this node speaks 'orch.reply.v2'"),
                arguments("{\"protocol\":\"orch.reply.v2\",\"request_id\":\"r\",\"node\":\"n\",\"status\":\"exploded\","
                        + "\"time\":\"2026-01-31T02:00:00Z\"}", "unknown reply status 'exploded'"),
                arguments("{\"protocol\":\"orch.reply.v2\",\"request_id\":\"r\",\"node\":\"n\",\"status\":\"ok\","
                        + "\"matched\":\"yes\",\"time\":\"2026-01-31T02:00:00Z\"}",
                        "reply field 'matched' must be true or false, got string"),
                arguments("{\"protocol\":\"orch.reply.v2\",\"node\":\"n\",\"status\":\"ok\","
                        + "\"time\":\"2026-01-31T02:00:00Z\"}", "reply field 'request_id' is missing"));
    }

    @ParameterizedTest
    @MethodSource("badReplies")
    void badReplyIsRefusedWithAClearMessage(String body, String expected) {
        InvalidMessageException e = assertThrows(InvalidMessageException.class, () -> codec.decodeReply(body));
        assertContains(expected, e.getMessage());
    }

    static Stream<Arguments> badEvents() {
        return Stream.of(
                arguments("{\"protocol\":\"orch.event.v0\",\"type\":\"started\",\"node\":\"n\","
                        + "\"time\":\"2026-01-31T02:00:00Z\"}", "unsupported event protocol 'orch.event.v0'"),
                arguments("{\"protocol\":\"orch.event.v1\",\"type\":\"started\",\"node\":\"n\","
                        + "\"time\":\"2026-01-31T02:00:00Z\"}", "unsupported event protocol 'orch.event.v1'; this node "
                        + "speaks 'orch.event.v2'"),
                arguments("{\"protocol\":\"orch.event.v2\",\"type\":\"exploded\",\"node\":\"n\","
                        + "\"time\":\"2026-01-31T02:00:00Z\"}", "unknown event type 'exploded'"),
                arguments("{\"protocol\":\"orch.event.v2\",\"type\":\"started\",\"node\":\"n\","
                        + "\"time\":\"2026-01-31T02:00:00Z\",\"data\":[]}", "event field 'data' must be an object"));
    }

    @ParameterizedTest
    @MethodSource("badEvents")
    void badEventIsRefusedWithAClearMessage(String body, String expected) {
        InvalidMessageException e = assertThrows(InvalidMessageException.class, () -> codec.decodeEvent(body));
        assertContains(expected, e.getMessage());
    }

    private static void assertContains(String expected, String actual) {
        assertTrue(actual != null && actual.contains(expected),
                () -> "expected a message containing\n  " + expected + "\nbut was\n  " + actual);
    }
}
