package io.orch.protocol.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.orch.protocol.envelope.Codec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks a message against the JSON Schema of its {@code protocol} (published under
 * {@code io/orch/protocol/schema/} in protocol's main jar), the secure envelope together with the
 * request inside it. Returns violations as text; an empty list means the message conforms.
 */
public final class MessageSchemas {
    /** The schemas' {@code $id} prefix; never fetched, mapped to the classpath. */
    public static final String BASE = "https://orch.invalid/schema/";
    private static final String CLASSPATH = "classpath:io/orch/protocol/schema/";
    /** The message versions schemas exist for, and their files. */
    public static final Map<String, String> BY_PROTOCOL = Map.of(
            "orch.secure.v1", "secure.v1.schema.json",
            "orch.request.v1", "request.v1.schema.json",
            "orch.reply.v2", "reply.v2.schema.json",
            "orch.event.v2", "event.v2.schema.json",
            "orch.announcement.v1", "announcement.v1.schema.json");

    private static final ObjectMapper JSON = new Codec().mapper();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            builder -> builder.schemaMappers(mappers -> mappers.mapPrefix(BASE, CLASSPATH)));
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .formatAssertionsEnabled(true)
            .build();
    private static final Map<String, JsonSchema> SCHEMAS = new ConcurrentHashMap<>();

    private MessageSchemas() {
    }

    /** True for a JSON object whose {@code protocol} starts with {@code orch.}: the messages these schemas are for. */
    public static boolean isOrchMessage(String body) {
        return protocolOf(body).startsWith("orch.");
    }

    /**
     * What the message is: its {@code protocol}, or for a secure envelope the {@code protocol} of the
     * request, reply, event or announcement inside it (falling back to the envelope's); "" when it has none or is not JSON.
     */
    public static String protocolOf(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            JsonNode protocol = node.path("protocol");
            if (protocol.isTextual() && protocol.asText().equals("orch.secure.v1")) {
                for (String field : List.of("request", "reply", "event", "announcement")) {
                    if (node.path(field).isTextual()) {
                        String inner = protocolOf(node.path(field).asText());
                        return inner.isEmpty() ? protocol.asText() : inner;
                    }
                }
            }
            return protocol.isTextual() ? protocol.asText() : "";
        } catch (Exception e) {
            return "";
        }
    }

    /** Violations of the schema the message's {@code protocol} names; a secure envelope's request is checked too. */
    public static List<String> validate(String body) {
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (Exception e) {
            return List.of("not JSON: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            return List.of("not a JSON object");
        }
        String protocol = node.path("protocol").asText("");
        String file = BY_PROTOCOL.get(protocol);
        if (file == null) {
            return List.of("no schema for protocol '" + protocol + "'; schemas exist for "
                    + new java.util.TreeSet<>(BY_PROTOCOL.keySet()));
        }
        List<String> violations = new ArrayList<>(validate(file, node));
        if (protocol.equals("orch.secure.v1")) {
            // The inner message: its own schema, and it must be what the field carrying it says.
            Map<String, String> expected = Map.of("request", "orch.request.v1", "reply", "orch.reply.v2",
                    "event", "orch.event.v2", "announcement", "orch.announcement.v1");
            expected.forEach((field, innerProtocol) -> {
                JsonNode inner = node.get(field);
                if (inner == null || !inner.isTextual()) {
                    return;
                }
                String got;
                try {
                    got = JSON.readTree(inner.asText()).path("protocol").asText("");
                } catch (Exception e) {
                    got = "";
                }
                if (!got.equals(innerProtocol)) {
                    violations.add(field + ": carries protocol '" + got + "', expected '" + innerProtocol + "'");
                }
                for (String v : validate(inner.asText())) {
                    violations.add(field + ": " + v);
                }
            });
        }
        return violations;
    }

    /** Violations of one schema file, e.g. {@code params/reboot.schema.json}. */
    public static List<String> validate(String schemaFile, JsonNode node) {
        JsonSchema schema = SCHEMAS.computeIfAbsent(schemaFile,
                f -> FACTORY.getSchema(SchemaLocation.of(BASE + f), CONFIG));
        List<String> out = new ArrayList<>();
        for (ValidationMessage m : schema.validate(node)) {
            out.add(schemaFile + ": " + m.getMessage());
        }
        return out;
    }

    /** Fails with every violation listed, and the message. */
    public static void assertValid(String body) {
        List<String> violations = validate(body);
        if (!violations.isEmpty()) {
            throw new AssertionError(String.join("\n", violations) + "\nin " + body);
        }
    }
}
