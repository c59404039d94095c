package io.orch.cli.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.orch.cli.config.ClientConfig.Key;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One {@code client.yaml}: a flat mapping of known keys to checked values, each with the line it is on. */
final class YamlSettings {
    record Entry(String value, int line) {
    }

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private YamlSettings() {
    }

    /**
     * The file's settings. Whatever is wrong is added to {@code problems}, each naming the file (and the
     * key and line where there is one); the rest of the file is still read, so all its problems show at once.
     */
    static Map<Key, Entry> read(Path file, List<String> problems) {
        Map<Key, Entry> entries = new EnumMap<>(Key.class);
        Map<Key, Integer> seen = new EnumMap<>(Key.class);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            problems.add("cannot read " + file + ": " + reason(e));
            return entries;
        }
        try (JsonParser parser = YAML.createParser(bytes)) {
            JsonToken token = parser.nextToken();
            if (token == null || token == JsonToken.VALUE_NULL) {
                return entries; // empty, or nothing but comments
            }
            if (token != JsonToken.START_OBJECT) {
                problems.add(file + " must be a mapping of key: value lines (like 'broker: tcp://broker:61616'), not "
                        + (token == JsonToken.START_ARRAY ? "a list" : "a single value"));
                return entries;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                int line = parser.currentTokenLocation().getLineNr();
                parser.nextToken();
                JsonNode value = parser.readValueAsTree();
                Optional<Key> key = Key.forConfigName(name);
                if (key.isEmpty()) {
                    problems.add("unknown key '" + name + "' in " + file + " line " + line + "; known keys: "
                            + Key.configNames());
                    continue;
                }
                Integer first = seen.putIfAbsent(key.get(), line);
                if (first != null) {
                    problems.add(name + " in " + file + " line " + line + ": set twice (first on line " + first + ")");
                    continue;
                }
                String text = value == null ? null : value.asText().strip();
                String problem = notAValue(value);
                if (problem == null) {
                    problem = key.get().problem(text);
                }
                if (problem != null) {
                    problems.add(name + " in " + file + " line " + line + ": " + problem);
                    continue;
                }
                entries.put(key.get(), new Entry(text, line));
            }
            if (parser.nextToken() != null) {
                problems.add(file + " holds more than one YAML document; it must be a single mapping");
            }
        } catch (JacksonException e) {
            JsonLocation at = e.getLocation();
            problems.add("cannot read " + file + ": " + e.getOriginalMessage()
                    + (at == null || at.getLineNr() < 1 ? "" : " at line " + at.getLineNr()));
        } catch (IOException e) {
            problems.add("cannot read " + file + ": " + reason(e));
        }
        return entries;
    }

    /** Why a value that is not a string or a number is refused; null for strings and numbers. */
    private static String notAValue(JsonNode value) {
        if (value == null || value.isNull()) {
            return "no value; give one, or remove the line";
        }
        if (value.isTextual() || value.isNumber()) {
            return null;
        }
        if (value.isObject()) {
            return "expected a single value, got a mapping";
        }
        if (value.isArray()) {
            return "expected a single value, got a list";
        }
        return "expected a string or a number, got " + value;
    }

    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return e.getMessage();
    }
}
