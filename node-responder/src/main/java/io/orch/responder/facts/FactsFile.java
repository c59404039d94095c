package io.orch.responder.facts;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A static facts file, JSON or YAML (facter's external facts format): one object, nested values allowed. As
 * facter does, the name decides: a {@code .json} file is read as JSON (its parser costs a tenth of YAML's,
 * which a lab of thousands of nodes booting at once notices), any other as YAML, which reads JSON too.
 */
public final class FactsFile {
    /** Configured once, shared by every read. */
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** A second value after the object is an error: a file that two writers appended to is refused, not cut. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private FactsFile() {
    }

    /** @throws IllegalArgumentException with a message naming the file and the problem */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> read(Path file) {
        boolean json = file.getFileName() != null
                && file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".json");
        ObjectMapper mapper = json ? JSON : YAML;
        try {
            JsonNode node = mapper.readTree(Files.readAllBytes(file));
            if (node == null || node.isMissingNode() || node.isNull()) {
                return Map.of();
            }
            if (!node.isObject()) {
                throw new IllegalArgumentException("facts file " + file + " must hold a map of facts, got "
                        + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
            }
            for (var names = node.fieldNames(); names.hasNext(); ) {
                String key = names.next();
                if (key.contains(".")) {
                    // Dotted paths walk maps: a key "os.family" would shadow or fake the built-in os.family.
                    throw new IllegalArgumentException("facts file " + file + ": key '" + key + "' contains '.'; "
                            + "nest it as a map instead");
                }
            }
            return mapper.convertValue(node, Map.class);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("facts file " + file + " does not exist");
        } catch (JacksonException e) {
            throw new IllegalArgumentException("facts file " + file + (json ? " is not valid JSON: "
                    : " is not valid JSON or YAML: ") + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read facts file " + file + ": " + e.getMessage());
        }
    }
}
