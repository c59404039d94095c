package io.orch.protocol.envelope;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orch.protocol.Limits;
import io.orch.protocol.payload.ActionParams;
import io.orch.protocol.payload.CancelParams;
import io.orch.protocol.payload.EventData;
import io.orch.protocol.payload.NoData;
import io.orch.protocol.payload.RebootParams;
import io.orch.protocol.payload.ReplyData;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * JSON text in and out for every message type. Decoding is strict about what it needs
 * (types, versions, sizes) and lenient about what it does not (unknown fields are ignored),
 * so newer peers can add fields without breaking older ones.
 */
public final class Codec {
    private final ObjectMapper mapper;
    private final PayloadCodec payloads;

    public Codec() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(Limits.MAX_JSON_DEPTH)
                        .maxStringLength(Limits.MAX_BODY_BYTES)
                        .maxNumberLength(Limits.MAX_JSON_NUMBER_CHARS)
                        .build())
                .build();
        // Trailing data and duplicate keys would let two readers see two different requests in one signed body.
        factory.enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        this.mapper = new ObjectMapper(factory)
                .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.payloads = new PayloadCodec(mapper);
    }

    /** The mapper used for the wire, for callers that print the same shapes (CLI --json). */
    public ObjectMapper mapper() {
        return mapper;
    }

    // ---------------------------------------------------------------- requests

    /** The request in an unsigned envelope ({@code security: insecure}, and tests). */
    public String encodeRequest(Request request) {
        return encodeEnvelope(SecureEnvelope.unsigned(SecureEnvelope.Kind.REQUEST, encodeInnerRequest(request)));
    }

    public String encodeEnvelope(SecureEnvelope envelope) {
        ObjectNode outer = mapper.createObjectNode();
        outer.put("protocol", SecureEnvelope.PROTOCOL);
        outer.put(envelope.kind().field(), envelope.body());
        outer.put("signer", envelope.signer());
        outer.put("certificate", envelope.certificate());
        outer.put("signature", envelope.signature());
        return write(outer);
    }

    /** The inner request JSON: the exact bytes a signature covers. */
    public String encodeInnerRequest(Request request) {
        ObjectNode node = mapper.createObjectNode();
        node.put("protocol", Request.PROTOCOL);
        node.put("id", request.id());
        node.put("collective", request.collective());
        node.put("action", request.action().wireName());
        node.set("filter", mapper.valueToTree(request.filter()));
        node.set("params", mapper.valueToTree(request.params()));
        node.put("caller", request.caller());
        node.put("sender", request.sender());
        node.put("created_at", request.createdAt().toString());
        node.put("ttl_s", request.ttlSeconds());
        if (request.target() != null) {
            node.put("target", request.target());
        }
        if (request.replyTo() != null) {
            node.put("reply_to", request.replyTo());
        }
        return write(node);
    }

    /**
     * Reads the envelope around any message. Exactly one of {@code request}, {@code reply},
     * {@code event} and {@code announcement} must be there; nothing is verified here (that is the trust module's job).
     */
    public SecureEnvelope decodeEnvelope(String body) throws InvalidMessageException {
        JsonNode outer = parse(body);
        Fields f = new Fields(mapper, outer, "envelope");
        f.requireProtocol(SecureEnvelope.PROTOCOL, Request.PROTOCOL);
        SecureEnvelope.Kind kind = null;
        for (SecureEnvelope.Kind k : SecureEnvelope.Kind.values()) {
            if (outer.has(k.field())) {
                if (kind != null) {
                    throw new InvalidMessageException("envelope carries both '" + kind.field() + "' and '"
                            + k.field() + "'; exactly one message per envelope");
                }
                kind = k;
            }
        }
        if (kind == null) {
            throw new InvalidMessageException("envelope carries no message: expected a 'request', 'reply', "
                    + "'event' or 'announcement' field");
        }
        return new SecureEnvelope(kind, f.text(kind.field()), f.optionalText("signer"),
                f.optionalText("certificate"), f.optionalText("signature"));
    }

    /** The envelope around a message of {@code kind}; anything else is refused. */
    public SecureEnvelope decodeEnvelope(String body, SecureEnvelope.Kind kind) throws InvalidMessageException {
        SecureEnvelope envelope = decodeEnvelope(body);
        if (envelope.kind() != kind) {
            throw new InvalidMessageException("expected a " + kind.field() + " in the envelope, got a "
                    + envelope.kind().field());
        }
        return envelope;
    }

    /** Unwraps the secure envelope and decodes the request inside it. */
    public Request decodeRequest(String body) throws InvalidMessageException {
        return decodeInnerRequest(decodeEnvelope(body, SecureEnvelope.Kind.REQUEST).body());
    }

    public Request decodeInnerRequest(String inner) throws InvalidMessageException {
        JsonNode node = parse(inner);
        String id = node.path("id").isTextual() && validId(node.path("id").asText()) ? node.path("id").asText() : null;
        try {
            Fields f = new Fields(mapper, node, "request");
            f.requireProtocol(Request.PROTOCOL, null);
            String actionName = f.text("action");
            Action action = Action.fromWire(actionName).orElseThrow(() -> new InvalidMessageException(
                    "unknown action '" + actionName + "'; this node knows " + names(Action.values())));
            String requestId = f.text("id");
            if (!validId(requestId)) {
                throw new InvalidMessageException("request field 'id' must be 1-" + Limits.MAX_REQUEST_ID_CHARS
                        + " letters, digits, '.', '_', ':' or '-', not starting with '-'");
            }
            return new Request(
                    requestId,
                    f.text("collective"),
                    action,
                    f.filter("filter"),
                    f.map("params"),
                    f.optionalText("caller"),
                    f.optionalText("sender"),
                    f.instant("created_at"),
                    f.positiveInt("ttl_s"),
                    f.optionalText("target"),
                    f.optionalText("reply_to"));
        } catch (InvalidMessageException e) {
            throw e.withRequestId(id);
        }
    }

    // ---------------------------------------------------------------- replies

    public String encode(Reply reply) {
        ObjectNode node = mapper.createObjectNode();
        node.put("protocol", Reply.PROTOCOL);
        node.put("request_id", reply.requestId());
        node.put("node", reply.node());
        node.put("action", reply.action());
        node.put("matched", reply.matched());
        node.put("status", reply.status().wireName());
        node.put("message", reply.message());
        node.set("data", mapper.valueToTree(PayloadCodec.encode(reply.data())));
        node.put("time", reply.time().toString());
        return write(node);
    }

    /** The reply in an unsigned envelope ({@code security: insecure}, and tests). */
    public String encodeUnsigned(Reply reply) {
        return encodeEnvelope(SecureEnvelope.unsigned(SecureEnvelope.Kind.REPLY, encode(reply)));
    }

    /** The event in an unsigned envelope ({@code security: insecure}, and tests). */
    public String encodeUnsigned(Event event) {
        return encodeEnvelope(SecureEnvelope.unsigned(SecureEnvelope.Kind.EVENT, encode(event)));
    }

    /** Decodes the inner reply JSON (the envelope's {@code reply}). */
    public Reply decodeReply(String body) throws InvalidMessageException {
        Fields f = new Fields(mapper, parse(body), "reply");
        f.requireProtocol(Reply.PROTOCOL, null);
        String statusName = f.text("status");
        ReplyStatus status = ReplyStatus.fromWire(statusName).orElseThrow(() -> new InvalidMessageException(
                "unknown reply status '" + statusName + "'"));
        String action = f.optionalText("action");
        return new Reply(f.text("request_id"), f.text("node"), action, f.bool("matched"), status,
                f.optionalText("message"), payloads.decodeReplyData(action == null ? "" : action, f.objectNode("data")),
                f.instant("time"));
    }

    // ---------------------------------------------------------------- events

    public String encode(Event event) {
        ObjectNode node = mapper.createObjectNode();
        node.put("protocol", Event.PROTOCOL);
        node.put("type", event.type().wireName());
        node.put("node", event.node());
        node.put("boot_id", event.bootId());
        node.put("request_id", event.requestId());
        node.put("time", event.time().toString());
        node.set("data", mapper.valueToTree(PayloadCodec.encode(event.data())));
        return write(node);
    }

    /** Decodes the inner event JSON (the envelope's {@code event}). */
    public Event decodeEvent(String body) throws InvalidMessageException {
        Fields f = new Fields(mapper, parse(body), "event");
        f.requireProtocol(Event.PROTOCOL, null);
        String typeName = f.text("type");
        EventType type = EventType.fromWire(typeName).orElseThrow(() -> new InvalidMessageException(
                "unknown event type '" + typeName + "'"));
        return new Event(type, f.text("node"), f.optionalText("boot_id"), f.optionalText("request_id"),
                f.instant("time"), payloads.decodeEventData(type, f.objectNode("data")));
    }

    // ---------------------------------------------------------------- announcements

    /** The inner announcement JSON: the exact text a node signs. */
    public String encode(Announcement announcement) {
        ObjectNode node = mapper.createObjectNode();
        node.put("protocol", Announcement.PROTOCOL);
        node.put("node", announcement.node());
        node.put("boot_id", announcement.bootId());
        node.put("time", announcement.time().toString());
        node.put("state", announcement.state().wireName());
        node.put("version", announcement.version());
        node.put("interval_s", announcement.intervalSeconds());
        node.put("started_at", announcement.startedAt().toString());
        return write(node);
    }

    /** The announcement in an unsigned envelope ({@code security: insecure}, and tests). */
    public String encodeUnsigned(Announcement announcement) {
        return encodeEnvelope(SecureEnvelope.unsigned(SecureEnvelope.Kind.ANNOUNCEMENT, encode(announcement)));
    }

    /**
     * Decodes the inner announcement JSON (the envelope's {@code announcement}), every field within its
     * bound. Who signed it is not checked here: a reader believes it only when the envelope verifies and
     * its certificate's name equals {@link Announcement#node()}.
     */
    public Announcement decodeAnnouncement(String body) throws InvalidMessageException {
        Fields f = new Fields(mapper, parse(body), "announcement");
        f.requireProtocol(Announcement.PROTOCOL, null);
        String stateName = f.text("state");
        Announcement.State state = Announcement.State.fromWire(stateName).orElseThrow(() ->
                new InvalidMessageException("announcement field 'state' must be one of up, rebooting, stopped, got '"
                        + stateName + "'"));
        String node = f.text("node");
        String bootId = f.text("boot_id");
        String version = f.text("version");
        long interval = f.wholeNumber("interval_s");
        int intervalSeconds = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, interval));
        String problem = Announcement.problem(node, bootId, version, intervalSeconds);
        if (problem != null) {
            throw new InvalidMessageException(problem);
        }
        return new Announcement(node, bootId, f.instant("time"), state, version, intervalSeconds,
                f.instant("started_at"));
    }

    // ---------------------------------------------------------------- payloads
    // Request params stay JSON values until the action that owns them decodes them (after the node's gate);
    // reply and event data are typed in Reply and Event and cross the wire through encode/decode above.

    /** A request's {@code params}, as the CLI has always sent them; for {@code Request.params}. */
    public Map<String, Object> encodeParams(ActionParams params) {
        return PayloadCodec.encode(Objects.requireNonNull(params, "params == null"));
    }

    /**
     * A reply's {@code data} exactly as {@link #encode(Reply)} writes it, for callers that print it beside
     * their own fields (the CLI's {@code --json} report).
     */
    public Map<String, Object> encodeReplyData(ReplyData data) {
        return PayloadCodec.encode(Objects.requireNonNull(data, "data == null"));
    }

    /** An event's {@code data} exactly as {@link #encode(Event)} writes it (the CLI's {@code watch --json}). */
    public Map<String, Object> encodeEventData(EventData data) {
        return PayloadCodec.encode(Objects.requireNonNull(data, "data == null"));
    }

    /**
     * Reads {@code params} the way {@code action} needs them. Unknown keys are ignored. A refusal says
     * what a node answers {@code invalid} with, e.g. {@code param 'delay_s' must be a whole number of seconds}.
     */
    public ActionParams decodeParams(Action action, Map<String, Object> params) throws InvalidMessageException {
        return payloads.decodeParams(Objects.requireNonNull(action, "action == null"), tree(params));
    }

    public RebootParams decodeRebootParams(Map<String, Object> params) throws InvalidMessageException {
        return (RebootParams) decodeParams(Action.REBOOT, params);
    }

    public CancelParams decodeCancelParams(Map<String, Object> params) throws InvalidMessageException {
        return (CancelParams) decodeParams(Action.CANCEL, params);
    }

    private JsonNode tree(Map<String, Object> map) {
        return map == null ? mapper.createObjectNode() : mapper.valueToTree(map);
    }

    // ---------------------------------------------------------------- plumbing

    /** Checks the size limit on raw bytes (STOMP clients often send bytes) and decodes UTF-8. */
    public static String bodyText(byte[] bytes) throws InvalidMessageException {
        if (bytes.length > Limits.MAX_BODY_BYTES) {
            throw tooLarge(bytes.length);
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private JsonNode parse(String body) throws InvalidMessageException {
        if (body == null || body.isBlank()) {
            throw new InvalidMessageException("empty body; expected a JSON object");
        }
        // A char is at least one UTF-8 byte: the length is a cheap lower bound; count exactly only near the limit.
        if (body.length() > Limits.MAX_BODY_BYTES) {
            throw tooLarge(body.length());
        }
        if (body.length() * 3L > Limits.MAX_BODY_BYTES) {
            int bytes = utf8Length(body);
            if (bytes > Limits.MAX_BODY_BYTES) {
                throw tooLarge(bytes);
            }
        }
        try {
            JsonNode node = mapper.readTree(body);
            if (node == null || !node.isObject()) {
                throw new InvalidMessageException("body is not a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            // Limit violations (nesting depth, number length) come without a location.
            JsonLocation at = e.getLocation();
            throw new InvalidMessageException("malformed JSON: " + e.getOriginalMessage()
                    + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()));
        }
    }

    /** Ids go into logs, destinations' correlation ids and maybe commands: keep them plain. */
    public static boolean validId(String id) {
        if (id.isEmpty() || id.length() > Limits.MAX_REQUEST_ID_CHARS || id.charAt(0) == '-') {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == ':' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static int utf8Length(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    private static InvalidMessageException tooLarge(int size) {
        return new InvalidMessageException("body of " + size + " bytes is over the limit of "
                + Limits.MAX_BODY_BYTES + " bytes");
    }

    private String write(JsonNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    private static String names(Enum<?>[] values) {
        List<String> names = new ArrayList<>();
        for (Enum<?> v : values) {
            names.add(v.name().toLowerCase(java.util.Locale.ROOT));
        }
        return String.join(", ", names);
    }
}
