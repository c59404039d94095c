package io.orch.protocol.envelope;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orch.protocol.filter.FilterSpec;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Typed access to the fields of one JSON object, with errors that name the field:
 * {@code reply data field 'last_reboot.request_id' is missing}. Unknown fields are never looked at.
 */
final class Fields {
    private final ObjectMapper mapper;
    private final JsonNode node;
    private final String what;
    private final String prefix;

    Fields(ObjectMapper mapper, JsonNode node, String what) {
        this(mapper, node, what, "");
    }

    private Fields(ObjectMapper mapper, JsonNode node, String what, String prefix) {
        this.mapper = mapper;
        this.node = node;
        this.what = what;
        this.prefix = prefix;
    }

    boolean has(String name) {
        return node.has(name);
    }

    boolean present(String name) {
        JsonNode v = node.get(name);
        return v != null && !v.isNull();
    }

    void requireProtocol(String wanted, String hint) throws InvalidMessageException {
        String got = text("protocol");
        if (!wanted.equals(got)) {
            String more = got.equals(hint) ? " (wrap the request in a " + wanted + " envelope)" : "";
            throw new InvalidMessageException("unsupported " + what + " protocol '" + got + "'; this node speaks '"
                    + wanted + "'" + more);
        }
    }

    String text(String name) throws InvalidMessageException {
        JsonNode v = required(name);
        if (!v.isTextual()) {
            throw wrongType(name, "a string", v);
        }
        return v.asText();
    }

    String optionalText(String name) throws InvalidMessageException {
        return present(name) ? text(name) : null;
    }

    /** A field that must be there, but may be null. */
    String nullableText(String name) throws InvalidMessageException {
        requireKey(name);
        return optionalText(name);
    }

    /** Missing or null reads as false. */
    boolean bool(String name) throws InvalidMessageException {
        return present(name) && flag(name);
    }

    /** A boolean that must be there. */
    boolean flag(String name) throws InvalidMessageException {
        JsonNode v = required(name);
        if (!v.isBoolean()) {
            throw wrongType(name, "true or false", v);
        }
        return v.asBoolean();
    }

    int positiveInt(String name) throws InvalidMessageException {
        JsonNode v = required(name);
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() <= 0) {
            throw wrongType(name, "a positive whole number", v);
        }
        return v.asInt();
    }

    long wholeNumber(String name) throws InvalidMessageException {
        JsonNode v = required(name);
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw wrongType(name, "a whole number", v);
        }
        return v.asLong();
    }

    /** A number that must be there, but may be null. */
    Double nullableNumber(String name) throws InvalidMessageException {
        requireKey(name);
        JsonNode v = node.get(name);
        if (v.isNull()) {
            return null;
        }
        if (!v.isNumber()) {
            throw wrongType(name, "a number or null", v);
        }
        return v.asDouble();
    }

    Instant instant(String name) throws InvalidMessageException {
        String text = text(name);
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidMessageException(what + " field '" + label(name) + "' must be an RFC 3339 UTC time like "
                    + "2026-01-31T02:00:00Z, got '" + text + "'");
        }
    }

    /** A time that must be there, but may be null. */
    Instant nullableInstant(String name) throws InvalidMessageException {
        requireKey(name);
        return present(name) ? instant(name) : null;
    }

    /** An object of any shape, as maps, lists and boxed values; missing or null reads as empty. */
    @SuppressWarnings("unchecked")
    Map<String, Object> map(String name) throws InvalidMessageException {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return Map.of();
        }
        if (!v.isObject()) {
            throw wrongType(name, "an object", v);
        }
        return mapper.convertValue(v, Map.class);
    }

    /** An object kept as JSON, for a typed decoder of its own; missing or null reads as {@code {}}. */
    JsonNode objectNode(String name) throws InvalidMessageException {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return mapper.createObjectNode();
        }
        if (!v.isObject()) {
            throw wrongType(name, "an object", v);
        }
        return v;
    }

    /** An object of any shape that must be there. */
    Map<String, Object> object(String name) throws InvalidMessageException {
        JsonNode v = required(name);
        if (!v.isObject()) {
            throw wrongType(name, "an object", v);
        }
        return map(name);
    }

    /** An object whose values are all strings (errors by name); missing or null reads as empty. */
    Map<String, String> textMap(String name) throws InvalidMessageException {
        Map<String, String> out = new LinkedHashMap<>();
        if (!present(name)) {
            return out;
        }
        Fields inner = nested(name);
        for (var it = inner.node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            out.put(key, inner.text(key));
        }
        return out;
    }

    /** A nested object that must be there, read with field names prefixed by its own. */
    Fields nested(String name) throws InvalidMessageException {
        JsonNode v = required(name);
        if (!v.isObject()) {
            throw wrongType(name, "an object", v);
        }
        return new Fields(mapper, v, what, label(name) + ".");
    }

    /** A nested object that must be there, but may be null. */
    Fields nullableNested(String name) throws InvalidMessageException {
        requireKey(name);
        return present(name) ? nested(name) : null;
    }

    /** An array of objects that must be there. */
    List<Fields> objects(String name) throws InvalidMessageException {
        JsonNode v = array(name);
        List<Fields> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode item = v.get(i);
            String at = label(name) + "[" + i + "]";
            if (!item.isObject()) {
                throw new InvalidMessageException(what + " field '" + at + "' must be an object, got " + kind(item));
            }
            out.add(new Fields(mapper, item, what, at + "."));
        }
        return out;
    }

    /** An array of strings that must be there. */
    List<String> texts(String name) throws InvalidMessageException {
        JsonNode v = array(name);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode item = v.get(i);
            if (!item.isTextual()) {
                throw new InvalidMessageException(what + " field '" + label(name) + "[" + i + "]' must be a string, got "
                        + kind(item));
            }
            out.add(item.asText());
        }
        return out;
    }

    /** An array of strings that may be missing or null (then null). */
    List<String> optionalTexts(String name) throws InvalidMessageException {
        return present(name) ? texts(name) : null;
    }

    /** An array of strings that must be there, but may be null. */
    List<String> nullableTexts(String name) throws InvalidMessageException {
        requireKey(name);
        return optionalTexts(name);
    }

    /** A closed set of lower-case names. */
    <E extends Enum<E>> E choice(String name, Class<E> type) throws InvalidMessageException {
        String got = text(name);
        List<String> names = new ArrayList<>();
        for (E value : type.getEnumConstants()) {
            String wire = value.name().toLowerCase(Locale.ROOT);
            if (wire.equals(got)) {
                return value;
            }
            names.add(wire);
        }
        throw new InvalidMessageException(what + " field '" + label(name) + "' must be one of "
                + String.join(", ", names) + ", got '" + got + "'");
    }

    /** A string that must equal {@code wanted}. */
    void constant(String name, String wanted) throws InvalidMessageException {
        String got = text(name);
        if (!wanted.equals(got)) {
            throw new InvalidMessageException(what + " field '" + label(name) + "' must be '" + wanted + "', got '"
                    + got + "'");
        }
    }

    FilterSpec filter(String name) throws InvalidMessageException {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return FilterSpec.EMPTY;
        }
        if (!v.isObject()) {
            throw wrongType(name, "an object", v);
        }
        List<String> facts = stringList(v, "fact");
        List<String> identities = stringList(v, "identity");
        JsonNode compound = v.get("compound");
        if (compound != null && !compound.isNull() && !compound.isTextual()) {
            throw wrongType("filter.compound", "a string", compound);
        }
        return new FilterSpec(facts, identities, compound == null || compound.isNull() ? null : compound.asText());
    }

    private List<String> stringList(JsonNode parent, String name) throws InvalidMessageException {
        JsonNode v = parent.get(name);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw wrongType("filter." + name, "an array of strings", v);
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : v) {
            if (!item.isTextual()) {
                throw wrongType("filter." + name + "[]", "a string", item);
            }
            out.add(item.asText());
        }
        return out;
    }

    private JsonNode array(String name) throws InvalidMessageException {
        JsonNode v = required(name);
        if (!v.isArray()) {
            throw wrongType(name, "an array", v);
        }
        return v;
    }

    private JsonNode required(String name) throws InvalidMessageException {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            throw missing(name);
        }
        return v;
    }

    private void requireKey(String name) throws InvalidMessageException {
        if (!node.has(name)) {
            throw missing(name);
        }
    }

    private InvalidMessageException missing(String name) {
        return new InvalidMessageException(what + " field '" + label(name) + "' is missing");
    }

    private String label(String name) {
        return prefix + name;
    }

    private InvalidMessageException wrongType(String name, String expected, JsonNode got) {
        return new InvalidMessageException(what + " field '" + label(name) + "' must be " + expected + ", got "
                + kind(got));
    }

    private static String kind(JsonNode got) {
        return got.getNodeType().name().toLowerCase(Locale.ROOT);
    }
}
