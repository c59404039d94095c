package io.orch.responder.facts;

import static io.orch.responder.Fixture.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Static facts files in JSON or YAML, facter style; every problem names the file. */
class FactsFileTest {

    private static final Map<String, Object> EXPECTED = Map.of(
            "role", "web",
            "tier", 2,
            "pci", true,
            "dc", Map.of("name", "fra1", "rack", "r12"),
            "owners", List.of("alice", "bob"));

    @TempDir
    Path dir;

    static Stream<Arguments> sameFactsInBothFormats() {
        return Stream.of(
                arguments("facts.json", """
                        {"role": "web", "tier": 2, "pci": true,
                         "dc": {"name": "fra1", "rack": "r12"}, "owners": ["alice", "bob"]}
                        """),
                arguments("facts.yaml", """
                        # managed by puppet
                        role: web
                        tier: 2
                        pci: true
                        dc:
                          name: fra1
                          rack: r12
                        owners:
                          - alice
                          - bob
                        """));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sameFactsInBothFormats")
    void jsonAndYamlGiveTheSameTypedFacts(String name, String content) {
        assertEquals(EXPECTED, FactsFile.read(write(dir, name, content)));
    }

    @Test
    void emptyFileHasNoFacts() {
        assertEquals(Map.of(), FactsFile.read(write(dir, "empty.yaml", "")));
        assertEquals(Map.of(), FactsFile.read(write(dir, "comments.yaml", "# nothing yet\n")));
        assertEquals(Map.of(), FactsFile.read(write(dir, "empty.json", "")));
        assertEquals(Map.of(), FactsFile.read(write(dir, "blank.JSON", "\n  \n")));
    }

    static Stream<Arguments> badFiles() {
        return Stream.of(
                arguments("list.yaml", "- role\n- web\n", "must hold a map of facts, got array"),
                arguments("list.json", "[\"role\"]", "must hold a map of facts, got array"),
                arguments("scalar.yaml", "just some text\n", "must hold a map of facts, got string"),
                arguments("number.json", "42", "must hold a map of facts, got number"),
                arguments("broken.json", "{\"role\": \"web\",", "is not valid JSON: "),
                // As facter: the name decides, and a .json file is JSON even when it would be fine YAML.
                arguments("yaml-inside.json", "role: web\n", "is not valid JSON: "),
                arguments("two.json", "{\"role\": \"web\"}\n{\"role\": \"db\"}\n", "is not valid JSON: "),
                arguments("broken.yaml", "role: [web, db\n", "is not valid JSON or YAML"),
                arguments("indent.yaml", "role: web\n  tier: 2\n bad: x\n", "is not valid JSON or YAML"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void badFileIsRefusedNamingTheFile(String name, String content, String expected) {
        Path file = write(dir, name, content);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FactsFile.read(file));
        assertTrue(e.getMessage().startsWith("facts file " + file + " "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void missingFileIsRefusedNamingTheFile() {
        Path file = dir.resolve("nope.yaml");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FactsFile.read(file));
        assertEquals("facts file " + file + " does not exist", e.getMessage());
    }

    @Test
    void folderIsRefusedNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FactsFile.read(dir));
        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
    }

    @Test
    void dottedTopLevelKeyIsRefusedSoItCannotShadowANestedFact() {
        Path file = write(dir, "facts.yaml", "role: web\nos.family: Windows\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FactsFile.read(file));
        assertEquals("facts file " + file + ": key 'os.family' contains '.'; nest it as a map instead",
                e.getMessage());
    }
}
